package dev.waymark.journeys;

/** Told of every change to a journey, so that its runs follow (the run scheduler listens). */
public interface RunTrigger {
    /** The journey was created, or its definition or state changed. */
    void journeyChanged(String journeyId);

    /** The journey (or its app) was deleted. */
    void journeyDeleted(String journeyId);
}
