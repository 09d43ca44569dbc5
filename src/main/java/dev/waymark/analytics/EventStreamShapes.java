package dev.waymark.analytics;

import static dev.waymark.wire.Shape.Member.required;

import dev.waymark.wire.Shape.Kind;
import dev.waymark.wire.Shape.Scalar;
import dev.waymark.wire.Shape.Structure;

/** The request shape of PutEventStream, as the 2016-12-01 service model defines it (ServiceModelTest compares). */
public final class EventStreamShapes {
    private EventStreamShapes() {}

    private static final Scalar STRING = new Scalar("__string", Kind.STRING);

    /** The body of PutEventStream. */
    public static final Structure WRITE_EVENT_STREAM = new Structure("WriteEventStream",
            required("DestinationStreamArn", STRING), required("RoleArn", STRING));
}
