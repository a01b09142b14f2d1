package io.consilium.router.batchapi;

/**
 * A stored file: an uploaded batch input, or a batch's output or error file. Its content is kept apart.
 *
 * @param purpose {@code batch} for inputs, {@code batch_output} for what batches write
 * @param bytes size of the content in UTF-8
 * @param createdAt epoch seconds
 * @param owner who may read it (see {@link io.consilium.router.auth.Caller#owner()})
 */
record BatchFile(String id, String filename, String purpose, long bytes, long createdAt, String owner) {

    static final String INPUT = "batch";
    static final String OUTPUT = "batch_output";
}
