/** Largest MQTT payload the edge accepts; bigger ones are counted as malformed and dropped. */
export const MAX_MQTT_PAYLOAD_BYTES = 16 * 1024;

/** Largest message on a sync or edge-link WebSocket; bigger ones close the socket (1009). */
export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;

/** Largest persisted Yjs document the cloud keeps serving; above this, updates are refused. */
export const MAX_DOC_BYTES = 8 * 1024 * 1024;

/** Largest number of events in one uploaded batch. */
export const MAX_EVENT_BATCH = 1000;

/** Largest JSON body the cloud's HTTP API reads. */
export const MAX_HTTP_BODY_BYTES = 1024 * 1024;

/** Devices per site the edge registers; more are refused with a log line. */
export const MAX_DEVICES_PER_SITE = 300;

/**
 * Bookings in one `bookings` message (≈300 bytes each, well inside MAX_WS_MESSAGE_BYTES); a site
 * with more inside the edge's horizon gets the earliest ones, the rest as they come closer.
 */
export const MAX_EDGE_BOOKINGS = 2000;
