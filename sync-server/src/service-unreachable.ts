/** A service the cloud needs (store, bus, stream) did not answer at start: said in one line, without credentials. */
export class ServiceUnreachable extends Error {}
