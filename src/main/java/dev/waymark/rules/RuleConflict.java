package dev.waymark.rules;

/**
 * A change the current state of its subject does not allow (a closed journey cannot be updated), with a message for
 * the caller. The HTTP pipeline answers it as a ConflictException.
 */
public class RuleConflict extends RuntimeException {
    public RuleConflict(String message) {
        super(message, null, false, false);
    }
}
