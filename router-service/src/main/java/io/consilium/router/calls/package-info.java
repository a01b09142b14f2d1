/**
 * Expert calls: the one path by which the service asks an expert ({@code ExpertCalls}), with online
 * batching for experts that answer in batches (local models): their requests are gathered for a few
 * milliseconds while the expert is busy and run as one pass; an idle expert starts at once.
 */
@NullMarked
package io.consilium.router.calls;

import org.jspecify.annotations.NullMarked;
