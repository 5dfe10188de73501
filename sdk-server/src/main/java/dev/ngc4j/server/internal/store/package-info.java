/**
 * The directory's storage: tenants, users, devices, registered keys and the audit log, behind {@link
 * dev.ngc4j.server.internal.store.DirectoryStore}, with a JDBC implementation (an embedded H2 file database by
 * default). Not exported.
 */
@NullMarked
package dev.ngc4j.server.internal.store;

import org.jspecify.annotations.NullMarked;
