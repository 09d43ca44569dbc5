package dev.waymark.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One message as a transport receives it: already rendered, with the key a receiver uses to drop a repeat.
 *
 * <p>{@code destination} is the address (email address, phone number, device token) or, for CUSTOM, the DeliveryUri
 * or Lambda function. {@code content} holds the rendered parts, by channel:
 * <ul>
 *   <li>EMAIL: {@code FromAddress}, {@code Subject}, {@code HtmlPart}, {@code TextPart}, {@code Headers}
 *       ([{Name, Value}]);</li>
 *   <li>SMS: {@code Body}, and when given {@code MessageType}, {@code OriginationNumber}, {@code SenderId},
 *       {@code Keyword};</li>
 *   <li>VOICE: {@code Body}, {@code LanguageCode}, {@code VoiceId}, {@code OriginationNumber};</li>
 *   <li>PUSH: {@code Title}, {@code Body}, {@code Action}, {@code Url}, {@code Sound}, {@code Data}, and
 *       {@code Platform} (the endpoint's ChannelType: GCM, APNS, ...);</li>
 *   <li>CUSTOM: {@code Data} (the activity's CustomData) and {@code Endpoints} (endpoint id to the endpoint as
 *       GetEndpoint returns it, at most 50).</li>
 * </ul>
 * {@code attempt} counts from 1.
 */
public record OutboundMessage(String id, String appId, String idempotencyKey, Channel channel, String destination,
                              Optional<String> endpointId, ObjectNode content, Origin origin, int attempt) {}
