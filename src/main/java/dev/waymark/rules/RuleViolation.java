package dev.waymark.rules;

/**
 * Input that breaks one of Waymark's rules, with a message for the caller that names the member or the rule. Rules
 * throw it without knowing how it reaches anyone; the HTTP pipeline answers it as a BadRequestException.
 */
public class RuleViolation extends RuntimeException {
    public RuleViolation(String message) {
        super(message, null, false, false);
    }
}
