package io.consilium.router.batchapi;

import io.consilium.router.api.ApiException;
import io.consilium.router.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code /v1/files}: upload a batch input file (multipart, {@code purpose=batch}), read a file's metadata or
 * content. Only batch inputs are accepted, and every line is checked on upload.
 */
@RestController
class FilesController {

    private final Batches batches;

    FilesController(Batches batches) {
        this.batches = batches;
    }

    @PostMapping(path = "/v1/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    FileView upload(@RequestParam(required = false) @Nullable String purpose,
            @RequestParam(required = false) @Nullable MultipartFile file, HttpServletRequest request) throws IOException {
        if (purpose == null || purpose.isBlank()) {
            throw ApiException.invalidRequest("purpose", "'purpose' is required; use 'batch'.");
        }
        if (!BatchFile.INPUT.equals(purpose)) {
            throw ApiException.invalidRequest("purpose", "'purpose' must be 'batch': this service keeps batch input"
                    + " files only, but was '" + purpose + "'.");
        }
        if (file == null || file.isEmpty()) {
            throw ApiException.invalidRequest("file", "'file' is required: a JSONL file with one request per line.");
        }
        String filename = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank()
                ? "batch.jsonl" : file.getOriginalFilename();
        return FileView.of(batches.upload(filename, file.getBytes(), Caller.of(request)));
    }

    /** Anything but a multipart upload gets a message that says how to upload. */
    @PostMapping(path = "/v1/files")
    FileView notMultipart() {
        throw ApiException.invalidRequest(null,
                "Upload the file as multipart/form-data with the fields 'purpose' (batch) and 'file'.");
    }

    @GetMapping("/v1/files/{id}")
    FileView file(@PathVariable String id, HttpServletRequest request) {
        return FileView.of(batches.file(id, Caller.of(request)));
    }

    @GetMapping("/v1/files/{id}/content")
    ResponseEntity<byte[]> content(@PathVariable String id, HttpServletRequest request) {
        BatchFile file = batches.file(id, Caller.of(request));
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file.filename().replace("\"", "") + "\"")
                .body(batches.content(file).getBytes(StandardCharsets.UTF_8));
    }
}
