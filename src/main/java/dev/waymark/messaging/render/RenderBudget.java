package dev.waymark.messaging.render;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Options;

/**
 * What one render may cost. A template is small, but its loops and partials multiply: nested {@code each} blocks
 * or a partial that calls itself could run for ever or build a string larger than the heap. Every block, loop turn
 * and partial call takes a step; every piece of text a block builds is charged before it grows further.
 */
final class RenderBudget {
    /** The key in the render's context data; a space keeps templates from naming it. */
    static final String KEY = "waymark render budget";
    /** Loop turns, blocks and partial calls in one render of one part. */
    static final int MAX_STEPS = 20_000;
    /** How deep partials may call partials. */
    static final int MAX_PARTIAL_DEPTH = 10;
    /** The output bound when none is given: Pinpoint's largest part (an email's 600,000 characters) four times. */
    static final long DEFAULT_MAX_OUTPUT = 2_400_000;
    /** Text built inside blocks may be this many times the output bound (it is counted at every level). */
    private static final long WORK_FACTOR = 4;

    private final long maxOutput;
    private int steps;
    private long built;
    private int partialDepth;

    RenderBudget(long maxOutput) {
        this.maxOutput = maxOutput;
    }

    /** The budget of the render an option belongs to; a fresh default one outside a render (never in Waymark). */
    static RenderBudget of(Options options) {
        return of(options.context);
    }

    static RenderBudget of(Context context) {
        RenderBudget budget = context == null ? null : context.data(KEY);
        return budget == null ? new RenderBudget(DEFAULT_MAX_OUTPUT) : budget;
    }

    long maxOutput() {
        return maxOutput;
    }

    /** One loop turn, block or partial call. */
    void step() {
        if (++steps > MAX_STEPS) {
            throw new TemplateFault("the template does more than " + MAX_STEPS
                    + " loop turns, blocks and partial calls for one message");
        }
    }

    /** Text a block has built, counted before it is added to anything larger. */
    CharSequence charge(CharSequence text) {
        built += text.length();
        if (built > maxOutput * WORK_FACTOR) {
            throw tooLong();
        }
        return text;
    }

    /** Refuses a string of {@code length} characters before it is built. */
    void ensureRoom(long length) {
        if (length > maxOutput) {
            throw tooLong();
        }
    }

    void enterPartial() {
        step();
        if (++partialDepth > MAX_PARTIAL_DEPTH) {
            throw new TemplateFault("partials call each other more than " + MAX_PARTIAL_DEPTH + " levels deep");
        }
    }

    void leavePartial() {
        partialDepth--;
    }

    TemplateFault tooLong() {
        return new TemplateFault("the rendered text would pass " + maxOutput + " characters");
    }

    @Override
    public String toString() {
        return "";
    }
}
