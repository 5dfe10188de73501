/**
 * The HTTP(S) adapter between {@code com.sun.net.httpserver} and the service: body limits, timeouts, the bounded executor and the TLS set-up. Not exported.
 */
@NullMarked
package dev.ngc4j.server.internal.http;

import org.jspecify.annotations.NullMarked;
