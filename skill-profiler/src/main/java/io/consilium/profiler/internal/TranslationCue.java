package io.consilium.profiler.internal;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfile;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import io.consilium.profiler.ClassifierException;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a request can be about translation at all: it asks to translate (or how something is said
 * in a language), or it mixes languages. Everything else (a question written in Spanish, a maths
 * problem full of symbols, a story prompt) cannot, whatever its embedding looks like. Languages are
 * identified with n-gram profiles of the most widely used languages only, which keeps the memory small.
 */
public final class TranslationCue {

    /** Languages the detector knows: the most widely used on the web and in business. */
    static final List<String> LANGUAGES = List.of("en", "fr", "es", "de", "pt", "it", "nl", "sv", "da", "no", "fi",
            "pl", "cs", "ro", "hu", "el", "ru", "uk", "tr", "ar", "fa", "he", "hi", "zh-CN", "zh-TW", "ja", "ko",
            "vi", "id");

    /** Words that ask for a translation, in the languages above, and phrases that ask how something is said. */
    private static final Pattern ASKS = Pattern.compile("(?iu)translat|interpret(er|ation) of|\\bhow (do|would|should|can)"
            + " (you|i|we|one) say\\b|\\bsay (it|this|that) in\\b|\\b(in|into|from|to) (english|french|spanish|german"
            + "|portuguese|italian|dutch|swedish|danish|norwegian|finnish|polish|czech|romanian|hungarian|greek|russian"
            + "|ukrainian|turkish|arabic|persian|hebrew|hindi|chinese|mandarin|cantonese|japanese|korean|vietnamese"
            + "|indonesian|latin)\\b|\\b(english|french|spanish|german|italian|japanese|chinese|korean|portuguese)"
            + " (word|phrase|equivalent|version|for)\\b|tradu|übersetz|перев|翻译|翻譯|翻訳|번역|terjemah|tłumacz|översätt"
            + "|oversæt|oversett|vertaal|çevir|dịch|अनुवाद|ترجم|תרגמ|μετάφρ|käännä|fordít|přelož");
    private static final int MIN_SEGMENT_LETTERS = 15;
    private static final double MIN_CONFIDENCE = 0.9;
    private static final Pattern SEGMENTS = Pattern.compile("[\\n\"“”«»「」『』]|(?<=[.!?。！？])\\s+");

    private final LanguageDetector detector;
    private final TextObjectFactory texts = CommonTextObjectFactories.forDetectingShortCleanText();

    private TranslationCue(LanguageDetector detector) {
        this.detector = detector;
    }

    /** Loads the language profiles (a few MiB). */
    public static TranslationCue load() {
        try {
            List<LanguageProfile> profiles = new LanguageProfileReader().read(LANGUAGES);
            return new TranslationCue(LanguageDetectorBuilder.create(NgramExtractors.standard())
                    .withProfiles(profiles)
                    .build());
        } catch (IOException e) {
            throw new ClassifierException("cannot read the language profiles: " + e.getMessage(), e);
        }
    }

    /** Whether the text asks for a translation or is written in more than one language. */
    public boolean mayAskForTranslation(String text) {
        return ASKS.matcher(text).find() || languages(text).size() > 1;
    }

    /** The languages identified with confidence in the text's sentences, lines and quotations. */
    Set<String> languages(String text) {
        Set<String> found = new HashSet<>();
        for (String segment : SEGMENTS.split(text)) {
            if (letters(segment) < MIN_SEGMENT_LETTERS) {
                continue;
            }
            List<DetectedLanguage> detected = detector.getProbabilities(texts.forText(segment));
            if (!detected.isEmpty() && detected.getFirst().getProbability() >= MIN_CONFIDENCE) {
                found.add(detected.getFirst().getLocale().getLanguage());
            }
        }
        return found;
    }

    private static int letters(String segment) {
        int count = 0;
        for (int i = 0; i < segment.length(); i++) {
            if (Character.isLetter(segment.charAt(i))) {
                count++;
            }
        }
        return count;
    }
}
