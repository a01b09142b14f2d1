package io.consilium.router.chat;

import io.consilium.profiler.SkillVector;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Usage;
import io.consilium.router.cache.AnswerCache;
import io.consilium.router.cache.CacheHit;
import io.consilium.router.cache.CacheScope;
import io.consilium.router.feedback.CompletionLog;
import io.consilium.router.routing.Router;
import io.consilium.router.tracing.PipelineTracing;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers a chat request from the {@link AnswerCache} before anything is planned, or has it answered afresh and
 * keeps that answer. The exact look-up comes first and costs no embedding; a virtual model's question is then
 * matched by meaning with the embedding its classification computes, and the skills found are handed on to
 * planning, so the request is classified once either way. A direct call to an expert is matched exactly only.
 *
 * <p>A cached answer is served under a fresh completion id (remembered with the experts that made it, so feedback
 * on it counts), with the cache's part in its {@code consilium} object, no experts called and no tokens charged.
 */
@Component
final class CachedChat {

    private final AnswerCache cache;
    private final Router router;
    private final CompletionLog completions;
    private final JsonMapper json;
    private final PipelineTracing tracing;

    CachedChat(AnswerCache cache, Router router, CompletionLog completions, JsonMapper json, PipelineTracing tracing) {
        this.cache = cache;
        this.router = router;
        this.completions = completions;
        this.json = json;
        this.tracing = tracing;
    }

    /** Makes an answer afresh, planning with the skills given when they were found already. */
    @FunctionalInterface
    interface Composer {
        ChatComposition.@Nullable Answer compose(@Nullable SkillVector skills, ChatEvents.Opener opener)
                throws IOException;
    }

    boolean isOn() {
        return cache.isOn();
    }

    ChatComposition.@Nullable Answer answer(ChatRequest request, String model, CacheScope scope,
            ChatEvents.Opener opener, long startedNanos, Composer composer) throws IOException {
        AnswerCache.Lookup lookup = cache.lookup(request, scope);
        Found found = tracing.observe(PipelineTracing.CACHE_LOOKUP, () -> find(request, model, lookup),
                (observation, result) -> observation.lowCardinalityKeyValue(PipelineTracing.CACHE,
                        result.hit().map(hit -> hit.kind().id()).orElse("miss")));
        if (found.hit().isPresent()) {
            cache.served(lookup, found.hit().get());
            return serve(request, model, found.hit().get(), opener, startedNanos);
        }
        cache.missed(lookup);
        SkillVector skills = found.skills();
        if (!lookup.mayStore()) {
            return composer.compose(skills, opener);
        }
        float[] questionEmbedding = skills == null ? null : skills.embedding();
        if (request.isStream()) {
            composer.compose(skills, headers -> new RecordedStream(opener.open(headers), json,
                    completion -> cache.store(lookup, completion, questionEmbedding)));
            return null;
        }
        ChatComposition.Answer answer = composer.compose(skills, opener);
        if (answer != null) {
            cache.store(lookup, answer.body(), questionEmbedding);
        }
        return answer;
    }

    /**
     * The exact match, else, for a virtual model whose question may be matched by meaning, the closest similar
     * one; with the skills found on the way (their embedding is the question's), or null when none were needed.
     */
    private Found find(ChatRequest request, String model, AnswerCache.Lookup lookup) {
        Optional<CacheHit> hit = cache.exact(lookup);
        if (hit.isPresent() || !Router.isVirtual(model) || !cache.matchesByMeaning(lookup, Router.questionOf(request))) {
            return new Found(hit, null);
        }
        SkillVector skills = router.classify(request);
        float[] embedding = skills.embedding();
        return new Found(embedding != null && lookup.mayServe() ? cache.similar(lookup, embedding) : hit, skills);
    }

    private record Found(Optional<CacheHit> hit, @Nullable SkillVector skills) {}

    private ChatComposition.@Nullable Answer serve(ChatRequest request, String model, CacheHit hit,
            ChatEvents.Opener opener, long startedNanos) throws IOException {
        ObjectNode stored = hit.answer().completion();
        String id = CompletionLog.newId();
        completions.remember(id, hit.answer().experts(), request.lastUserText());
        long overheadMs = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
        ObjectNode metadata = metadata(stored.path("consilium"), hit, overheadMs);
        if (!request.isStream()) {
            ObjectNode body = stored.deepCopy();
            body.put("id", id);
            body.put("created", Instant.now().getEpochSecond());
            body.set("consilium", metadata);
            return new ChatComposition.Answer(body, "", overheadMs);
        }
        replay(request, stored, id, stored.path("model").asString(model), metadata, opener, overheadMs);
        return null;
    }

    /** Streams a cached answer as chunks in OpenAI's order: role, content, tool calls, finish, usage if asked. */
    private void replay(ChatRequest request, ObjectNode stored, String id, String model, ObjectNode metadata,
            ChatEvents.Opener opener, long overheadMs) throws IOException {
        ChatEvents events = opener.open(ChatComposition.EXPERTS_HEADER, "", ChatComposition.OVERHEAD_HEADER,
                Long.toString(overheadMs));
        ChunkWriter chunks = new ChunkWriter(events, json, id, Instant.now().getEpochSecond(), model);
        JsonNode choice = stored.path("choices").path(0);
        JsonNode message = choice.path("message");
        JsonNode toolCalls = message.path("tool_calls");
        chunks.role();
        if (message.path("content").isString() && !message.path("content").asString().isEmpty()
                || !toolCalls.isArray() || toolCalls.isEmpty()) {
            chunks.content(message.path("content").asString(""));
        }
        if (toolCalls.isArray() && !toolCalls.isEmpty()) {
            chunks.toolCalls(toolCalls);
        }
        JsonNode usage = stored.path("usage");
        chunks.finish(metadata, new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0)),
                request.asksForStreamUsage(), choice.path("finish_reason").asString("stop"));
        events.done();
    }

    /**
     * The {@code consilium} object of a served answer: the skills of the stored one, no expert called (so no
     * cost), and the cache's part: how it matched, how alike the questions were, what was saved, who answered.
     */
    private ObjectNode metadata(JsonNode original, CacheHit hit, long overheadMs) {
        ObjectNode metadata = json.createObjectNode();
        metadata.set("skills", original.path("skills").isArray() ? original.get("skills").deepCopy()
                : json.createArrayNode());
        metadata.putArray("experts");
        metadata.putNull("aggregator");
        metadata.put("fusion", "none");
        metadata.put("consensus", false);
        metadata.put("router_overhead_ms", overheadMs);
        ObjectNode cached = metadata.putObject("cache");
        cached.put("hit", hit.kind().id());
        cached.put("similarity", hit.similarity());
        cached.put("cost_usd", 0.0);
        cached.put("saved_cost_usd", hit.answer().costUsd());
        hit.answer().experts().forEach(cached.putArray("answered_by")::add);
        return metadata;
    }
}
