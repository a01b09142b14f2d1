package io.consilium.router.batchapi;

import org.jspecify.annotations.Nullable;

/** A file as the API shows it: OpenAI's file object. */
record FileView(String id, String object, long bytes, long created_at, String filename, String purpose, String status,
        @Nullable Long expires_at, @Nullable String status_details) {

    static FileView of(BatchFile file) {
        return new FileView(file.id(), "file", file.bytes(), file.createdAt(), file.filename(), file.purpose(),
                "processed", null, null);
    }
}
