/**
 * Small strict codecs the service shares: base64 (standard and url-safe, canonical only), JSON objects, form bodies and GUID byte orders. Not exported.
 */
@NullMarked
package dev.ngc4j.server.internal.util;

import org.jspecify.annotations.NullMarked;
