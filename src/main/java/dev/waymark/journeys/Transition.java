package dev.waymark.journeys;

/** What a requested state change means for the journey, so that its runs can follow. */
public enum Transition {
    PUBLISH, PAUSE, RESUME, CANCEL
}
