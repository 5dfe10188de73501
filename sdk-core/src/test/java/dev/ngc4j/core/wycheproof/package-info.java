/**
 * Runs Project Wycheproof vectors through ngc4j's own code paths. The vectors are read at test time from the
 * shared folder (system property {@code ngc4j.wycheproof.dir}) and are never copied into the project.
 */
@NullMarked
package dev.ngc4j.core.wycheproof;

import org.jspecify.annotations.NullMarked;
