package dev.waymark.messaging.render;

/**
 * Why a part cannot be rendered, thrown by a helper or a bound; the renderer reports its message as the
 * {@link MessageRenderer.RenderingFailure} of the part. It carries no stack: it is an answer, not a bug.
 */
final class TemplateFault extends RuntimeException {
    TemplateFault(String message) {
        super(message, null, false, false);
    }
}
