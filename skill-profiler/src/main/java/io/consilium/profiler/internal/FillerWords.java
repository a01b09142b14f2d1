package io.consilium.profiler.internal;

import java.util.Set;

/**
 * English words and punctuation that say little about what a request is about: articles, pronouns,
 * auxiliaries, prepositions, conjunctions, question words. Every token the encoder reads costs the same, so a
 * long input read without them fits more of its topic into the same window. Question marks, digits and the
 * symbols of code and formulas are not fillers: they tell a question, a calculation or a program apart.
 */
public final class FillerWords {

    /** Each is one token of an uncased English WordPiece vocabulary; words that are not are ignored. */
    public static final Set<String> ENGLISH = Set.of(
            "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "into",
            "about", "is", "are", "was", "were", "be", "been", "being", "am", "it", "its", "this", "that", "these",
            "those", "i", "we", "you", "he", "she", "they", "me", "my", "our", "your", "his", "her", "their", "them",
            "us", "so", "if", "then", "than", "there", "also", "just", "very", "some", "all", "up", "out", "do", "does",
            "did", "have", "has", "had", "will", "would", "can", "could", "should", "which", "who", "when", "what", "how",
            "s", ",", ".", ";", ":", "(", ")", "'", "\"", "-", "!");

    private FillerWords() {}
}
