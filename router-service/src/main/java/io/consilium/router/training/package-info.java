/**
 * The training run of the JDK's AOT cache. With {@code consilium.aot.training=true} the service, once ready,
 * sends itself a bounded set of requests on loopback and exits with their outcome, so that a JVM started with
 * {@code -XX:AOTCacheOutput} records what serving requests loads, links and runs, not only what starting does.
 */
@NullMarked
package io.consilium.router.training;

import org.jspecify.annotations.NullMarked;
