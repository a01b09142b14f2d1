package io.consilium.aggregator;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the final answer out of verbose LLM output: a multiple-choice letter, a number, or normalised
 * text. Explicit markers ("the answer is", "Final answer:", {@code \boxed{}}) beat anything mentioned
 * elsewhere, and the last marker wins; without one, each reader falls back conservatively and returns
 * empty rather than guess. Reasoning before a closing {@code </think>} tag is ignored. Thread-safe.
 */
public final class AnswerExtraction {

    // ---- shared ------------------------------------------------------------------------------------

    private static final Pattern THINK_END = Pattern.compile("(?i)</think(?:ing)?>");
    /** Typographic digit-group spaces; plain spaces are not merged, so "1 200" stays two numbers. */
    private static final Pattern GROUP_SPACE = Pattern.compile("(?<=\\d)[\\u00A0\\u202F\\u2009](?=\\d{3}(?!\\d))");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]");
    /** The end of a sentence or line: where an answer span stops. */
    private static final Pattern SPAN_END = Pattern.compile("[.!?;](?=\\s|$)|\\n");
    /** Where an answer span turns into its justification. */
    private static final Pattern CLAUSE_END = Pattern.compile(
            "(?i),?(?<!\\s)\\s++(?:because|since|given|due\\s+to)\\b|,\\s++(?:which|who|where|so|but|and|not)\\b"
                    + "|(?<!\\s)\\s++[(\\[—–]|(?<!\\s)\\s-\\s");
    /** Markdown and quotes before an answer span. */
    private static final Pattern SPAN_LEAD = Pattern.compile("^[\\s*_#>:`\"'“‘]+");
    private static final Pattern ANSWER_MARKER = Pattern.compile(
            "(?im)\\bfinal\\s+answer\\b(?:\\s*+(?:(?:\\*\\*|__)\\s*+)?(?:is\\b|would\\s+be|will\\s+be|should\\s+be|[:=\\-–—]))?"
                    + "|\\banswer\\b\\s*+(?:(?:\\*\\*|__)\\s*+)?(?:is\\b|would\\s+be|will\\s+be|should\\s+be|[:=\\-–—])"
                    + "|\\bcorrect\\s+(?:answer|option|choice|value|result)\\s+is\\b"
                    // A heading on a line of its own: "## Answer", "**Answer**".
                    + "|^[ \\t#*_]*+answer[ \\t*_:]*+$"
                    // GSM8K's "#### 72".
                    + "|^####[ \\t]*+(?=[-$€£]?\\.?\\d)");
    private static final Pattern BOXED = Pattern.compile("\\\\(?:boxed|fbox)\\s*\\{");
    private static final Pattern BOLD = Pattern.compile("(\\*\\*|__)([^\\n]+?)\\1");
    private static final Pattern HEADING = Pattern.compile("\\s*#{1,6}\\s");
    private static final Pattern LATEX_COMMAND = Pattern.compile("\\\\[a-zA-Z]+");

    // ---- choice letters ----------------------------------------------------------------------------

    /** Markdown, quotes and brackets that may sit between a marker and its letter. */
    private static final String WRAP = "[\\s*_\"'`“‘(\\[{:]*+";
    /** A letter standing alone: not part of a word, a contraction, "C++", "C#" or an abbreviation ("D.C."). */
    private static final String LETTER = "([A-Ja-j])(?![\\p{L}\\p{N}_'’+#]|[.\\-]\\p{L})";
    private static final String OPENERS = "(*[\"'`“‘{_";
    private static final String CLOSERS = ")*]\"'`”’}_";

    private static final Pattern STRONG_LETTER = Pattern.compile(
            "(?i:\\bfinal\\s+answer\\b|\\banswer\\b|\\b(?:correct|right|best)\\s+(?:option|choice|answer|letter|response)\\b)"
                    + "(?i:\\s+here)?"
                    + "(?i:\\s*(?:is\\b|was\\b|would\\s+be|will\\s+be|should\\s+be|must\\s+be|[:=\\-–—]))*"
                    + "(?i:\\s*(?:actually|really|clearly|definitely|probably|likely|most\\s+likely|indeed|still|instead"
                    + "|therefore|thus)\\b)?"
                    + WRAP + "(?i:(?:the\\s+)?(?:option|choice|letter)\\b)?" + WRAP + LETTER);
    private static final Pattern BOXED_LETTER = Pattern.compile(
            "\\\\(?:boxed|fbox)\\s*\\{\\s*(?:\\\\(?:text|textbf|mathrm|mathbf)\\s*\\{\\s*)?\\(?\\s*([A-Ja-j])\\s*\\)?\\s*\\}");
    private static final Pattern DECISION_LETTER = Pattern.compile(
            "(?i:\\b(?:go(?:ing)?\\s+with|choose|chose|choosing|pick|picking|select|selecting|opt\\s+for|settle\\s+on"
                    + "|it(?:'s|’s|\\s+is|\\s+must\\s+be|\\s+should\\s+be)))"
                    + "\\s++(?i:(?:the\\s+)?(?:option|choice|answer|letter)\\b)?" + WRAP + LETTER);
    private static final Pattern IS_CORRECT_LETTER = Pattern.compile(
            "(?<![\\p{L}\\p{N}(\\[*])[(\\[*]*+([A-Ja-j])[)\\]*]*+\\s++(?i:is|would\\s+be|seems)\\s+(?i:the\\s+)?(?i:correct|right|best)\\b");
    /** A verdict on a labelled line of an option-by-option analysis: "C) Correct", "**B.** – correct". */
    private static final Pattern LABEL_CORRECT = Pattern.compile(
            "(?m)^[ \\t>*_-]*+[(\\[]?([A-Ja-j])(?:[)\\].:]|[ \\t]+[-–—])[*_]*+[ \\t]*+[-–—:]?[ \\t]*+[*_]*+"
                    + "(?i:correct|right|true)\\b");
    /** A negation just before a decision ("I wouldn't go with A"). */
    private static final Pattern NEGATED = Pattern.compile("(?i)(?:\\bnot|n't|n’t|\\bnever)\\s+(?:\\w+\\s+)?$");
    private static final Pattern WHOLE_LETTER = Pattern.compile(
            "[\\s*_\"'`“‘(\\[{]*([A-Ja-j])[\\s*_\"'`”’)\\]}.:!]*");
    /** A reply that opens with a bracketed or bold label: "C) Paris", "(B) because", "**D**". */
    private static final Pattern LEADING_LABEL = Pattern.compile(
            "^[\\s>]*(?:[*_]*[(\\[]?([A-Ja-j])[)\\]]|(?:\\*\\*|__)([A-Ja-j])[.:)]?(?:\\*\\*|__))");
    /** "B) London" inside a line: a reply that lists several of these is enumerating the options. */
    private static final Pattern BARE_LABEL = Pattern.compile("(?<![\\p{L}\\p{N}(\\[])([A-J])\\)");
    private static final Pattern WEAK_LETTER = Pattern.compile(
            "(?m)(?<![\\p{L}\\p{N}(\\[])([A-J])\\)"
                    + "|^[ \\t>]*[*_]*[(\\[]?([A-Ja-j])[)\\].:][*_]*(?=\\s|$)"
                    + "|(?<![\\p{L}\\p{N}])\\(([A-J])\\)"
                    + "|\\*\\*\\s*\\(?([A-Ja-j])\\)?[.:)]?\\s*\\*\\*"
                    + "|(?i:\\b(?:option|choice)\\b)\\s++" + WRAP + LETTER);
    private static final Pattern WORD_FOLLOWS = Pattern.compile("^[ \\t]+\\p{L}");
    private static final Pattern LOWER_WORD_FOLLOWS = Pattern.compile("^[ \\t]+\\p{Ll}");

    private record Hit(int at, String letter) {}

    // ---- numbers -----------------------------------------------------------------------------------

    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\p{L}\\p{N}_.^])"
                    + "(-?)[$€£¥]?(-?)"
                    + "((?:\\d{1,3}(?:,\\d{3})+(?!\\d)|\\d+)(?:\\.\\d+)?|\\.\\d+)"
                    + "(?:[eE]([-+]?\\d+)(?!\\p{L}))?"
                    + "(?:/(\\d+)(?![\\d/]|\\.\\d))?");
    private static final Pattern EQUALS = Pattern.compile("[=≈≅]\\s*(?:[~]\\s*)?");
    /** Words that may precede the number in "the answer is approximately 3.14" or "Answer: x = 5". */
    private static final Pattern NUMBER_LEAD = Pattern.compile(
            "^(?:(?i:approximately|approx\\.?|about|around|roughly|exactly|nearly|almost|precisely|just)\\s+|[~≈]\\s*)*");
    private static final Pattern NOT_LEAD = Pattern.compile("(?i)^not\\b");
    private static final Pattern UNIT_TAIL = Pattern.compile("\\s*+%?\\s*+(?:\\p{L}++\\.?)?[\\s.*_\"'`”’]*+");
    private static final int MAX_EXPONENT = 1000;
    private static final int SHORT_REPLY_WORDS = 12;
    private static final int MAX_TEXT_LENGTH = 100;

    /** LaTeX and typographic spellings of numbers, rewritten to the plain forms {@link #NUMBER} reads. */
    private static final List<Rewrite> NUMERIC_REWRITES = List.of(
            new Rewrite("\\\\[dt]?frac\\s*\\{\\s*(-?\\d+(?:\\.\\d+)?)\\s*\\}\\s*\\{\\s*(\\d+)\\s*\\}", "$1/$2"),
            new Rewrite("\\{,\\}", ","),
            new Rewrite("(?<=\\d)\\\\[,;: ](?=\\d{3})", ""),
            new Rewrite("\\\\%", "%"),
            new Rewrite("\\\\\\$", "\\$"),
            new Rewrite("\\\\approx", "≈"),
            new Rewrite("[−‐‑]", "-"),
            new Rewrite("⁄", "/"),
            new Rewrite("(\\d)\\s*(?:\\\\times|\\\\cdot|×|·|x|\\*)\\s*10\\s*\\^\\s*\\{?\\s*([-+]?\\d+)\\s*\\}?", "$1e$2"),
            new Rewrite("\\\\(?:text|mathrm|textbf|mathbf)\\s*\\{([^{}]*)\\}", "$1"));

    private record Rewrite(Pattern pattern, String replacement) {
        Rewrite(String regex, String replacement) {
            this(Pattern.compile(regex), replacement);
        }
    }

    private record Token(int start, BigDecimal value) {}

    // ---- normalising -------------------------------------------------------------------------------

    private static final Pattern APOSTROPHE = Pattern.compile("['’‘`]");
    private static final Pattern BLOCKQUOTE = Pattern.compile("(?m)^[ \\t]*+>+");
    private static final Pattern GROUP_COMMA = Pattern.compile("(?<=\\d),(?=\\d{3}(?!\\d))");
    /** Punctuation, except a decimal point between digits and a minus sign in front of a number. */
    private static final Pattern PUNCTUATION = Pattern.compile(
            "(?!(?<=\\d)\\.(?=\\d))(?!(?<![\\p{L}\\p{N}])-(?=\\d))\\p{P}");
    private static final Pattern LEADING_ARTICLE = Pattern.compile("^(?:the|an|a)\\s+(?=\\S)");

    private AnswerExtraction() {}

    /**
     * The text a reader sees: Unicode NFKC, typographic digit-group spaces removed, and only what follows
     * the last {@code </think>} tag, since reasoning models think out loud before answering.
     */
    public static String withoutReasoning(String text) {
        String folded = Normalizer.normalize(GROUP_SPACE.matcher(text).replaceAll(""), Normalizer.Form.NFKC);
        Matcher end = THINK_END.matcher(folded);
        int after = -1;
        while (end.find()) {
            after = end.end();
        }
        return after < 0 ? folded : folded.substring(after);
    }

    /**
     * The chosen multiple-choice letter, A to J, upper case. In order: the last explicit marker ("the
     * answer is (C)", "Final answer: B", "correct choice is B", {@code \boxed{C}}); a reply that is just a
     * letter; the last decision ("I'd go with option D", "B is correct"); a reply opening with a label
     * ("C) Paris"); otherwise letters mentioned as options, only if they all agree. Never the article
     * "a" or the pronoun "I" of ordinary prose.
     */
    public static Optional<String> choiceLetter(String text) {
        String visible = withoutReasoning(text);
        return explicitLetter(visible).or(() -> unanimous(visible));
    }

    /**
     * The final numeric answer. In order: the last {@code \boxed{}} (authoritative even without a
     * number); the last "answer is" / "answer:" / "final answer"; a bold span closing the text; the last
     * "=" or "≈"; the last number. Reads grouping commas ("3,500"), decimals, signs, scientific notation
     * ("1.5e3", "1.5 × 10^3"), fractions ("3/4", {@code \frac{3}{4}}), percentages ("12.5%" is 12.5),
     * currency and units ("42 km" is 42). Commas followed by a space separate list items, so "1, 2, 3"
     * ends in 3; plain spaces never group digits.
     */
    public static Optional<BigDecimal> number(String text) {
        String plain = numeric(withoutReasoning(text));
        List<Token> tokens = numbers(plain);
        Optional<String> boxed = lastBoxed(plain);
        if (boxed.isPresent()) {
            return spanNumber(boxed.get(), false);
        }
        return markedNumber(plain, false)
                .or(() -> boldNumber(plain, tokens, false))
                .or(() -> equalsNumber(plain, tokens, false))
                .or(() -> tokens.isEmpty() ? Optional.empty() : Optional.of(tokens.getLast().value()));
    }

    /**
     * The whole text read as one number, as a reference answer is written: "42", "-1.5e3", "3/4",
     * "12.5%", "$1,200.50", "42 km"; empty for anything else, such as "four" or "1, 2".
     */
    public static Optional<BigDecimal> parseNumber(String text) {
        String plain = SPAN_LEAD.matcher(numeric(withoutReasoning(text)).strip()).replaceFirst("");
        Matcher number = NUMBER.matcher(plain);
        if (!number.lookingAt() || !UNIT_TAIL.matcher(plain).region(number.end(), plain.length()).matches()) {
            return Optional.empty();
        }
        return value(number);
    }

    /**
     * Text for comparison: NFKC, lower case, markdown, quotes and punctuation dropped (a decimal point
     * and a leading minus are kept, grouping commas removed), a leading article dropped, white space
     * collapsed.
     */
    public static String normalise(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        folded = folded.replace('−', '-');
        folded = APOSTROPHE.matcher(folded).replaceAll("");
        folded = BLOCKQUOTE.matcher(folded).replaceAll(" ");
        folded = GROUP_COMMA.matcher(folded).replaceAll("");
        folded = PUNCTUATION.matcher(folded).replaceAll(" ");
        folded = WHITESPACE.matcher(folded).replaceAll(" ").strip();
        return LEADING_ARTICLE.matcher(folded).replaceFirst("");
    }

    /**
     * The answer to vote on: a letter when one is given explicitly (a marker, a decision, a bracketed
     * leading label, or a bare letter); else a number when the final answer is explicitly numeric (a
     * marker or box whose span starts with a number, a closing bold number, a closing "= n"), or the
     * reply is short (at most 12 words), has no final-answer span and exactly one number, found in its
     * opening clause; else the normalised final
     * span: the text after the last final-answer marker, or the first sentence of the first line, cut
     * short before its justification and to at most 100 characters.
     */
    public static FinalAnswer finalAnswer(String text) {
        String visible = withoutReasoning(text);
        Optional<String> letter = explicitLetter(visible);
        if (letter.isPresent()) {
            return FinalAnswer.choice(letter.get());
        }
        String plain = numeric(visible);
        List<Token> tokens = numbers(plain);
        Optional<String> boxed = lastBoxed(plain);
        Optional<BigDecimal> explicit = boxed.isPresent()
                ? spanNumber(boxed.get(), true)
                : markedNumber(plain, true)
                        .or(() -> boldNumber(plain, tokens, true))
                        .or(() -> equalsNumber(plain, tokens, true));
        if (explicit.isPresent()) {
            return FinalAnswer.number(explicit.get());
        }
        Optional<String> span = boxed.or(() -> markedSpan(visible));
        // "It's 42." is a numeric answer; "Paris, because it has been the capital since 987." is not.
        if (span.isEmpty() && tokens.size() == 1 && words(visible) <= SHORT_REPLY_WORDS
                && numbers(clause(firstSentence(plain))).size() == 1) {
            return FinalAnswer.number(tokens.getFirst().value());
        }
        String chosen = span.orElseGet(() -> firstSentence(visible));
        return FinalAnswer.text(cut(normalise(LATEX_COMMAND.matcher(clause(chosen)).replaceAll(" "))));
    }

    // ---- letters -----------------------------------------------------------------------------------

    /**
     * The letter of the surest explicit form: a marker, a bare letter, a decision, an opening label that
     * is not the first of a list of options.
     */
    private static Optional<String> explicitLetter(String text) {
        Optional<Hit> marked = later(lastHit(text, STRONG_LETTER, false), lastHit(text, BOXED_LETTER, false));
        if (marked.isPresent()) {
            return Optional.of(marked.get().letter());
        }
        Matcher whole = WHOLE_LETTER.matcher(text);
        if (whole.matches()) {
            return Optional.of(upper(whole.group(1)));
        }
        Optional<Hit> decision = later(lastHit(text, DECISION_LETTER, true),
                later(lastHit(text, IS_CORRECT_LETTER, false), lastHit(text, LABEL_CORRECT, false)));
        if (decision.isPresent()) {
            return Optional.of(decision.get().letter());
        }
        Matcher leading = LEADING_LABEL.matcher(text);
        if (leading.find() && distinct(text, BARE_LABEL) <= 1) {
            int at = letterStart(leading);
            return Optional.of(upper(text.substring(at, at + 1)));
        }
        return Optional.empty();
    }

    /** The last acceptable match of a letter pattern. */
    private static Optional<Hit> lastHit(String text, Pattern pattern, boolean checkNegation) {
        @Nullable Hit found = null;
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            int at = letterStart(matcher);
            if (acceptable(text, at) && !(checkNegation && negated(text, matcher.start()))) {
                found = new Hit(at, upper(text.substring(at, at + 1)));
            }
        }
        return Optional.ofNullable(found);
    }

    private static Optional<Hit> later(Optional<Hit> one, Optional<Hit> other) {
        if (one.isEmpty() || other.isEmpty()) {
            return one.or(() -> other);
        }
        return one.get().at() >= other.get().at() ? one : other;
    }

    /** Where the letter sits: the last group that took part in the match. */
    private static int letterStart(Matcher matcher) {
        for (int group = matcher.groupCount(); group >= 1; group--) {
            if (matcher.start(group) >= 0 && matcher.end(group) - matcher.start(group) == 1) {
                return matcher.start(group);
            }
        }
        throw new IllegalStateException("letter patterns capture one letter");
    }

    /** Rules out the article "a", the pronoun "I" and a lone lower-case "i" running into the next word. */
    private static boolean acceptable(String text, int at) {
        char letter = text.charAt(at);
        char before = at > 0 ? text.charAt(at - 1) : ' ';
        char after = at + 1 < text.length() ? text.charAt(at + 1) : ' ';
        if (OPENERS.indexOf(before) >= 0 && CLOSERS.indexOf(after) >= 0) {
            return true;
        }
        String rest = text.substring(at + 1, Math.min(text.length(), at + 40));
        return switch (letter) {
            case 'a', 'i' -> !WORD_FOLLOWS.matcher(rest).find();
            case 'I' -> !LOWER_WORD_FOLLOWS.matcher(rest).find();
            default -> true;
        };
    }

    private static boolean negated(String text, int start) {
        return NEGATED.matcher(text.substring(Math.max(0, start - 20), start)).find();
    }

    private static long distinct(String text, Pattern pattern) {
        return pattern.matcher(text).results().map(found -> upper(found.group(1))).distinct().count();
    }

    /** The one letter that every option-like mention agrees on. */
    private static Optional<String> unanimous(String text) {
        Set<String> letters = new TreeSet<>();
        Matcher matcher = WEAK_LETTER.matcher(text);
        while (matcher.find()) {
            int at = letterStart(matcher);
            if (acceptable(text, at)) {
                letters.add(upper(text.substring(at, at + 1)));
            }
        }
        return letters.size() == 1 ? Optional.of(letters.iterator().next()) : Optional.empty();
    }

    private static String upper(String letter) {
        return letter.toUpperCase(Locale.ROOT);
    }

    // ---- numbers -----------------------------------------------------------------------------------

    private static String numeric(String text) {
        String plain = text;
        for (Rewrite rewrite : NUMERIC_REWRITES) {
            plain = rewrite.pattern().matcher(plain).replaceAll(rewrite.replacement());
        }
        return plain;
    }

    private static List<Token> numbers(String text) {
        List<Token> tokens = new ArrayList<>();
        Matcher matcher = NUMBER.matcher(text);
        while (matcher.find()) {
            Optional<BigDecimal> value = value(matcher);
            if (value.isPresent()) {
                tokens.add(new Token(matcher.start(), value.get()));
            }
        }
        return tokens;
    }

    /** The value of a {@link #NUMBER} match; empty for a zero denominator or an absurd exponent. */
    private static Optional<BigDecimal> value(Matcher number) {
        String exponent = number.group(4);
        if (exponent != null && (exponent.replaceAll("\\D", "").length() > 4
                || Math.abs(Integer.parseInt(exponent)) > MAX_EXPONENT)) {
            return Optional.empty();
        }
        BigDecimal value = new BigDecimal(number.group(3).replace(",", "") + (exponent == null ? "" : "e" + exponent));
        String denominator = number.group(5);
        if (denominator != null) {
            BigDecimal divisor = new BigDecimal(denominator);
            if (divisor.signum() == 0) {
                return Optional.empty();
            }
            value = value.divide(divisor, MathContext.DECIMAL64);
        }
        boolean negative = !number.group(1).isEmpty() || !number.group(2).isEmpty();
        return Optional.of(negative ? value.negate() : value);
    }

    /** The content of the last {@code \boxed{…}}, braces balanced. */
    private static Optional<String> lastBoxed(String text) {
        Matcher matcher = BOXED.matcher(text);
        int open = -1;
        while (matcher.find()) {
            open = matcher.end();
        }
        if (open < 0) {
            return Optional.empty();
        }
        int depth = 1;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return Optional.of(text.substring(open, i));
            }
        }
        return Optional.of(text.substring(open));
    }

    /** The span after the last final-answer marker, skipping an "is not …". */
    private static Optional<BigDecimal> markedNumber(String text, boolean strict) {
        Optional<String> span = markedSpan(text);
        if (span.isEmpty() || NOT_LEAD.matcher(span.get()).find()) {
            return Optional.empty();
        }
        return spanNumber(span.get(), strict);
    }

    /**
     * The number of an answer span: after its last "=" when it is an equation ("3 × 4 = 12"), else its
     * first number; strictly, only one the span starts with ("42 apples", not "World War 2").
     */
    private static Optional<BigDecimal> spanNumber(String span, boolean strict) {
        List<Token> tokens = numbers(span);
        Matcher equals = EQUALS.matcher(span);
        int afterEquals = -1;
        while (equals.find()) {
            afterEquals = equals.end();
        }
        if (afterEquals >= 0) {
            for (Token token : tokens) {
                if (token.start() == afterEquals) {
                    return Optional.of(token.value());
                }
            }
        }
        if (!strict) {
            return tokens.isEmpty() ? Optional.empty() : Optional.of(tokens.getFirst().value());
        }
        String lead = SPAN_LEAD.matcher(span).replaceFirst("");
        int skipped = span.length() - lead.length();
        Matcher filler = NUMBER_LEAD.matcher(lead);
        int start = skipped + (filler.lookingAt() ? filler.end() : 0);
        return tokens.stream().filter(token -> token.start() == start).map(Token::value).findFirst();
    }

    /** A bold span that closes the text: no number comes after it. */
    private static Optional<BigDecimal> boldNumber(String text, List<Token> tokens, boolean strict) {
        Matcher bold = BOLD.matcher(text);
        int start = -1;
        int end = -1;
        while (bold.find()) {
            start = bold.start(2);
            end = bold.end(2);
        }
        if (start < 0) {
            return Optional.empty();
        }
        int boldEnd = end;
        if (tokens.stream().anyMatch(token -> token.start() >= boldEnd)) {
            return Optional.empty();
        }
        return spanNumber(text.substring(start, end), strict);
    }

    /** The number right after the last "=" or "≈"; strictly, only when the text ends on that value. */
    private static Optional<BigDecimal> equalsNumber(String text, List<Token> tokens, boolean strict) {
        Matcher equals = EQUALS.matcher(text);
        @Nullable Token found = null;
        while (equals.find()) {
            for (Token token : tokens) {
                if (token.start() == equals.end()) {
                    found = token;
                }
            }
        }
        // "36 + 4 = 40. So, the farmer has 40 sheep." closes on the value of its last equation.
        if (found == null || (strict && found.value().compareTo(tokens.getLast().value()) != 0)) {
            return Optional.empty();
        }
        return Optional.of(found.value());
    }

    // ---- text spans --------------------------------------------------------------------------------

    /** The sentence after the last final-answer marker, or the next line when the marker ends its line. */
    private static Optional<String> markedSpan(String text) {
        Matcher marker = ANSWER_MARKER.matcher(text);
        int from = -1;
        while (marker.find()) {
            from = marker.end();
        }
        if (from < 0) {
            return Optional.empty();
        }
        String rest = text.substring(from);
        String lead = SPAN_LEAD.matcher(rest).replaceFirst("");
        // "**Final answer:**\n\n42": the marker is a heading and the answer is on the next line.
        String span = sentence(lead);
        return WORD.matcher(span).find() ? Optional.of(span) : Optional.empty();
    }

    /** The first sentence of the first line with words, passing over markdown headings such as "## Solution". */
    private static String firstSentence(String text) {
        @Nullable String heading = null;
        for (String line : text.split("\\R")) {
            if (!WORD.matcher(line).find()) {
                continue;
            }
            if (!HEADING.matcher(line).lookingAt()) {
                return sentence(SPAN_LEAD.matcher(line).replaceFirst(""));
            }
            if (heading == null) {
                heading = line;
            }
        }
        return heading == null ? "" : sentence(SPAN_LEAD.matcher(heading).replaceFirst(""));
    }

    private static String sentence(String text) {
        Matcher end = SPAN_END.matcher(text);
        return (end.find() ? text.substring(0, end.start()) : text).strip();
    }

    /** Drops the justification: "Paris, because it is the capital" becomes "Paris". */
    private static String clause(String span) {
        Matcher end = CLAUSE_END.matcher(span);
        return end.find() && end.start() > 0 ? span.substring(0, end.start()) : span;
    }

    private static String cut(String text) {
        if (text.length() <= MAX_TEXT_LENGTH) {
            return text;
        }
        int space = text.lastIndexOf(' ', MAX_TEXT_LENGTH);
        return text.substring(0, space > 0 ? space : MAX_TEXT_LENGTH);
    }

    private static int words(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : WHITESPACE.split(stripped).length;
    }
}
