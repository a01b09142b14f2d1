package io.consilium.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.aggregator.FinalAnswer.Kind;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AnswerExtractionTest {

    static Stream<Arguments> choices() {
        return Stream.of(
                // explicit markers
                Arguments.of("The answer is (C)", "C"),
                Arguments.of("The answer is C.", "C"),
                Arguments.of("Answer: c", "C"),
                Arguments.of("Final answer: B", "B"),
                Arguments.of("**Final Answer:** D", "D"),
                Arguments.of("**Answer:** (b)", "B"),
                Arguments.of("The correct choice is B, not A.", "B"),
                Arguments.of("The correct option is **E**.", "E"),
                Arguments.of("the answer is option (b)", "B"),
                Arguments.of("The answer is the letter G", "G"),
                Arguments.of("Therefore, the answer would be J.", "J"),
                Arguments.of("Answer: I", "I"),
                Arguments.of("The answer is a.", "A"),
                Arguments.of("The best answer is: \"H\"", "H"),
                Arguments.of("## Answer\nF", "F"),
                Arguments.of("$\\boxed{C}$", "C"),
                Arguments.of("So we get \\boxed{\\text{(D)}}", "D"),
                Arguments.of("Answer: **A**", "A"),
                Arguments.of("The answer is A because the others are false.", "A"),
                Arguments.of("ＡＮＳＷＥＲ：Ｃ", "C"),
                Arguments.of("Let's think step by step.\nSpeed is distance over time.\nThe answer is (F).", "F"),
                Arguments.of("The answer is: \n\n**C. Mitochondria**", "C"),
                Arguments.of("**Answer: B) 42**", "B"),
                Arguments.of("Neither A nor B; the correct answer is D.", "D"),
                // the last explicit marker wins, over letters elsewhere
                Arguments.of("I first thought A but the final answer is C", "C"),
                Arguments.of("Option (A) looks tempting and (B) is close. The answer is (D).", "D"),
                Arguments.of("The answer is B. Wait, re-checking the units: the answer is actually D.", "D"),
                Arguments.of("Answer: B\n\nExplanation: (A) confuses mass with weight; (C) and (D) are off.", "B"),
                Arguments.of("\\boxed{B} ... on reflection the final answer is C", "C"),
                Arguments.of("The answer is C, not A.", "C"),
                // reasoning is ignored
                Arguments.of("<think>The answer is A? No...</think>\nThe answer is (B).", "B"),
                Arguments.of("<think>maybe (A)</think>\n\nB", "B"),
                // bare letters
                Arguments.of("C", "C"),
                Arguments.of("c.", "C"),
                Arguments.of("  (D)  ", "D"),
                Arguments.of("**C**", "C"),
                Arguments.of("B)", "B"),
                Arguments.of("a", "A"),
                // decisions
                Arguments.of("I'd go with option D.", "D"),
                Arguments.of("After weighing them, I would choose (b).", "B"),
                Arguments.of("Let's check each: A is wrong. B is wrong. C is correct.", "C"),
                Arguments.of("Option C is the best.", "C"),
                Arguments.of("Option A is incorrect since it ignores drag. Option C is correct.", "C"),
                Arguments.of("Let's analyse each option:\nA) Incorrect, it ignores drag.\nB) Incorrect.\n"
                        + "C) Correct: momentum is conserved.\nD) Incorrect.", "C"),
                Arguments.of("**A.** – wrong\n**B.** – correct", "B"),
                Arguments.of("I'd pick A, not C.", "A"),
                Arguments.of("I wouldn't go with A; I'd go with C.", "C"),
                Arguments.of("Hmm, it's B.", "B"),
                Arguments.of("The right answer here is D", "D"),
                // labels
                Arguments.of("C) Paris", "C"),
                Arguments.of("(B) because the derivative is positive.", "B"),
                Arguments.of("**(E)** Hydrogen bonding", "E"),
                Arguments.of("C. Paris", "C"),
                Arguments.of("The capital is Paris, which is option (C).", "C"),
                Arguments.of("Clearly **B**.", "B"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("choices")
    void should_read_the_chosen_letter_when_the_reply_states_one(String reply, String letter) {
        // when
        Optional<String> found = AnswerExtraction.choiceLetter(reply);

        // then
        assertThat(found).contains(letter);
    }

    static Stream<String> noChoices() {
        return Stream.of(
                "A cat is a mammal.",
                "I think so too.",
                "The answer is a matter of taste.",
                "To answer a question like this, we need more data.",
                "I am not sure; it could be A or it could be B.",
                "Options (A) and (B) are both plausible.",
                "The answer is not A.",
                "The answer is C++.",
                "Answer: I believe more context is needed.",
                "A) Paris B) London C) Berlin",
                "I wouldn't go with A.",
                "Washington, D.C. is the answer.",
                "The answer isn't clear.",
                "Vitamin B12 is water soluble.",
                "It's a trick question.",
                "Plan B is risky.",
                "A correct statement needs evidence.",
                "A) Incorrect\nB) Incorrect",
                "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noChoices")
    void should_find_no_letter_when_the_reply_does_not_choose_one(String reply) {
        // when
        Optional<String> found = AnswerExtraction.choiceLetter(reply);

        // then
        assertThat(found).isEmpty();
    }

    static Stream<Arguments> numbers() {
        return Stream.of(
                // explicit markers
                Arguments.of("The answer is 42.", "42"),
                Arguments.of("Answer: -7", "-7"),
                Arguments.of("Final answer: 3,500", "3500"),
                Arguments.of("**Final Answer:**\n\n$1,200.50", "1200.5"),
                Arguments.of("The answer is approximately 3.14 (π to two places).", "3.14"),
                Arguments.of("The answer is that 12 apples remain.", "12"),
                Arguments.of("Answer: 3 × 4 = 12", "12"),
                Arguments.of("The final answer is x = 5", "5"),
                Arguments.of("There were 3 boxes of 4, so the answer is 12. Check: 12 / 4 = 3.", "12"),
                Arguments.of("We add 10 and 5 and get \\boxed{15}. Then 2 + 2 = 4 for fun.", "15"),
                Arguments.of("\\boxed{\\frac{3}{4}}", "0.75"),
                Arguments.of("\\boxed{1{,}024}", "1024"),
                Arguments.of("$$\\boxed{x = -2.5}$$", "-2.5"),
                Arguments.of("The answer is 1.5 \\times 10^{3} joules", "1500"),
                Arguments.of("The total is **$1,200.50**.", "1200.5"),
                Arguments.of("There are **3** cases; adding them gives 17.", "17"),
                Arguments.of("3 × 4 = 12, then 12 / 2 = 6", "6"),
                Arguments.of("So x ≈ 2.718", "2.718"),
                Arguments.of("Total: 1,234 + 5,678 = 6,912", "6912"),
                Arguments.of("**Answer:** 0.25 (i.e., 25%)", "0.25"),
                Arguments.of("The answer is: **-3/2**", "-1.5"),
                Arguments.of("The answer is not 5; it's 6", "6"),
                // the last number
                Arguments.of("It is 42 km", "42"),
                Arguments.of("1, 2, 3", "3"),
                Arguments.of("The growth rate was 12.5%", "12.5"),
                Arguments.of("Roughly 1.5e3 people came", "1500"),
                Arguments.of("1.5E-3", "0.0015"),
                Arguments.of("3/4", "0.75"),
                Arguments.of("½", "0.5"),
                Arguments.of("It costs -$5 to play", "-5"),
                Arguments.of("The temperature dropped to −40 degrees", "-40"),
                Arguments.of("The range is 3-5", "5"),
                Arguments.of("Between 1990 and 2000, sales doubled to 2,000,000.", "2000000"),
                Arguments.of("About .5 of them", "0.5"),
                Arguments.of("The population was 1\u00A0200 at the last count", "1200"),
                Arguments.of("The population was 1 200 at the last count", "200"),
                Arguments.of("<think>maybe 7?</think>The answer is 8", "8"),
                Arguments.of("Each of the 3 children gets 4 apples.\nSo they got 12 in total.", "12"),
                Arguments.of("GPT-4 scored 86.4", "86.4"),
                Arguments.of("The area is 12 m^2.", "12"),
                Arguments.of("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72", "72"),
                Arguments.of("The answer is 2,5", "2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numbers")
    void should_read_the_final_number_when_the_reply_has_one(String reply, String number) {
        // when
        Optional<BigDecimal> found = AnswerExtraction.number(reply);

        // then
        assertThat(found).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo(number));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            No idea.
            The answer is \\boxed{\\text{no solution}} even though 2 + 2 = 4
            v2.x
            H₂O
            1/0
            1e99999
            ''
            """)
    void should_find_no_number_when_the_reply_has_none(String reply) {
        // when
        Optional<BigDecimal> found = AnswerExtraction.number(reply);

        // then
        assertThat(found).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            42                 | 42
            -1.5e3             | -1500
            3/4                | 0.75
            12.5%              | 12.5
            $1,200.50          | 1200.5
            42 km              | 42
            **7**              | 7
            ' 0.001 '          | 0.001
            """)
    void should_parse_a_reference_number_when_it_is_the_whole_text(String text, String number) {
        // when
        Optional<BigDecimal> found = AnswerExtraction.parseNumber(text);

        // then
        assertThat(found).hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo(number));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            four
            1, 2
            the answer is 4
            4 or 5
            ''
            """)
    void should_not_parse_a_reference_number_when_the_text_is_more_than_a_number(String text) {
        // when
        Optional<BigDecimal> found = AnswerExtraction.parseNumber(text);

        // then
        assertThat(found).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            '  The   Eiffel Tower! '     | eiffel tower
            '**Paris**'                  | paris
            '"Paris."'                   | paris
            'An apple a day'             | apple a day
            'A'                          | a
            'Don''t panic'               | dont panic
            'ＰＡＲＩＳ'                   | paris
            'well-known, i.e. famous'    | well known i e famous
            '3.14'                       | 3.14
            '-5 degrees'                 | -5 degrees
            '1,000,000'                  | 1000000
            '> quoted `code`'            | quoted code
            'x > 3'                      | x > 3
            'C++'                        | c++
            """)
    void should_normalise_text_when_comparing_answers(String text, String normalised) {
        // when
        String result = AnswerExtraction.normalise(text);

        // then
        assertThat(result).isEqualTo(normalised);
    }

    static Stream<Arguments> finalAnswers() {
        return Stream.of(
                Arguments.of("The answer is (C).", Kind.CHOICE, "C"),
                Arguments.of("c", Kind.CHOICE, "C"),
                Arguments.of("I'd go with option D.", Kind.CHOICE, "D"),
                Arguments.of("C) Paris", Kind.CHOICE, "C"),
                Arguments.of("The answer is 42.", Kind.NUMBER, "42"),
                Arguments.of("The answer is 42.0", Kind.NUMBER, "42"),
                Arguments.of("Final answer: 1,200.50 dollars", Kind.NUMBER, "1200.5"),
                Arguments.of("Let me compute: 6 × 7 = 42", Kind.NUMBER, "42"),
                Arguments.of("We need 3 groups of 4.\n\nSo the total is **12**", Kind.NUMBER, "12"),
                Arguments.of("\\boxed{1.50}", Kind.NUMBER, "1.5"),
                Arguments.of("Step 1: 12 * 3 = 36\nStep 2: 36 + 4 = 40\nSo, the farmer has 40 sheep.", Kind.NUMBER, "40"),
                Arguments.of("Step 1: 12 * 3 = 36\nStep 2: 36 + 4 = 40\nSo, 2 farmers have 40 sheep.", Kind.NUMBER, "40"),
                Arguments.of("Step 1: 12 * 3 = 36\nThen we need to think about the 40 sheep.", Kind.TEXT, "step 1 12 3 = 36"),
                Arguments.of("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72", Kind.NUMBER, "72"),
                Arguments.of("42", Kind.NUMBER, "42"),
                Arguments.of("About 3.0e2 kilometres.", Kind.NUMBER, "300"),
                Arguments.of("The Eiffel Tower was completed in 1889.", Kind.NUMBER, "1889"),
                Arguments.of("The answer is Paris.", Kind.TEXT, "paris"),
                Arguments.of("The answer is World War 2, which ended in 1945.", Kind.TEXT, "world war 2"),
                Arguments.of("## Answer\n\nThe French Revolution — it began in 1789", Kind.TEXT, "french revolution"),
                Arguments.of("Final Answer: The Pacific Ocean", Kind.TEXT, "pacific ocean"),
                Arguments.of("**Final answer:**\n\nMount Everest", Kind.TEXT, "mount everest"),
                Arguments.of("The answer is Paris, because it is the capital.", Kind.TEXT, "paris"),
                Arguments.of("Paris. It has been the capital of France for over a thousand years.", Kind.TEXT, "paris"),
                Arguments.of("Paris. It has been the capital since 987.", Kind.TEXT, "paris"),
                Arguments.of("Paris, because it has been the capital since 987.", Kind.TEXT, "paris"),
                Arguments.of("It's 42.", Kind.NUMBER, "42"),
                Arguments.of("The answer is Lyon, not Paris.", Kind.TEXT, "lyon"),
                Arguments.of("## Thoughts\nParis is the capital of France.", Kind.TEXT, "paris is the capital of france"),
                Arguments.of("\\boxed{\\text{Paris}}", Kind.TEXT, "paris"),
                Arguments.of("A cat is a mammal.", Kind.TEXT, "cat is a mammal"),
                Arguments.of("<think>Paris? Lyon?</think>\nLyon (the second city)", Kind.TEXT, "lyon"),
                Arguments.of("The answer is Paris (pop. 2 million).", Kind.TEXT, "paris"),
                Arguments.of("", Kind.TEXT, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("finalAnswers")
    void should_read_a_comparable_final_answer_when_voting(String reply, Kind kind, String value) {
        // when
        FinalAnswer answer = AnswerExtraction.finalAnswer(reply);

        // then
        assertThat(answer).isEqualTo(new FinalAnswer(kind, value));
    }

    @Test
    void should_cut_long_text_answers_at_a_word_when_they_exceed_100_characters() {
        // given
        String reply = "word ".repeat(60);

        // when
        FinalAnswer answer = AnswerExtraction.finalAnswer(reply);

        // then
        assertThat(answer.kind()).isEqualTo(Kind.TEXT);
        assertThat(answer.value()).hasSizeLessThanOrEqualTo(100).endsWith("word");
    }

    @Test
    void should_vote_equal_numbers_together_when_written_differently() {
        // when
        FinalAnswer plain = AnswerExtraction.finalAnswer("The answer is 1500");
        FinalAnswer grouped = AnswerExtraction.finalAnswer("Final answer: 1,500.00");
        FinalAnswer scientific = AnswerExtraction.finalAnswer("\\boxed{1.5 \\times 10^3}");

        // then
        assertThat(grouped).isEqualTo(plain);
        assertThat(scientific).isEqualTo(plain);
    }

    @Test
    void should_ignore_everything_before_the_closing_think_tag_when_reading_visible_text() {
        // when
        String visible = AnswerExtraction.withoutReasoning("<think>\nsecret\n</think>\nshown");

        // then
        assertThat(visible).isEqualTo("\nshown");
    }
}
