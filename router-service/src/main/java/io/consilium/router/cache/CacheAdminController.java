package io.consilium.router.cache;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code DELETE /admin/api/cache}: drops every cached answer, or with {@code ?owner=key:<id>} (or {@code admin},
 * {@code anonymous}) only one owner's. Admin only, like everything under {@code /admin/api}.
 */
@RestController
class CacheAdminController {

    private final AnswerCache cache;

    CacheAdminController(AnswerCache cache) {
        this.cache = cache;
    }

    @DeleteMapping("/admin/api/cache")
    ObjectNode purge(@RequestParam(required = false) @Nullable String owner) {
        if (owner != null && !owner.matches("key:[A-Za-z0-9._-]{1,128}|admin|anonymous")) {
            throw io.consilium.router.api.ApiException.invalidRequest("owner",
                    "'owner' must be key:<key id>, admin or anonymous.");
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("object", "cache.purged");
        result.put("partitions", cache.purge(owner));
        if (owner != null) {
            result.put("owner", owner);
        }
        return result;
    }
}
