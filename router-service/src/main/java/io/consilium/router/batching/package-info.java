/**
 * Online batching by expert: requests for an expert that answers in batches (a local model) are gathered
 * for a few milliseconds while it is busy and run as one pass; an idle expert starts at once.
 */
@NullMarked
package io.consilium.router.batching;

import org.jspecify.annotations.NullMarked;
