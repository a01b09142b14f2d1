/**
 * The OpenAI Batch API subset: JSONL files of chat completion requests, batches that run them in the
 * background grouped by expert (each local model loaded once per group, fusion grouped by aggregator), and
 * their state in memory or Redis so that a batch survives a restart.
 */
@NullMarked
package io.consilium.router.batchapi;

import org.jspecify.annotations.NullMarked;
