package io.consilium.profiler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.profiler.AnswerType;
import io.consilium.profiler.Grade;
import io.consilium.profiler.Grader;
import io.consilium.profiler.Graders;
import io.consilium.profiler.ProfilingItem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

class GradersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ProfilingItem item(String answer, AnswerType type) {
        ArrayNode messages = (ArrayNode) JSON.readTree("[{\"role\":\"user\",\"content\":\"a question\"}]");
        return new ProfilingItem("q1", messages, answer, type, List.of("math.algebra"));
    }

    private static Grade grade(AnswerType type, String answer, String response) {
        Grader grader = Graders.forType(type, null);
        return grader.grade(item(answer, type), response);
    }

    static Stream<Arguments> mcq() {
        return Stream.of(
                Arguments.of("C", "The answer is (C)", true, "C"),
                Arguments.of("c", "The answer is (C)", true, "C"),
                Arguments.of("(C)", "**C**", true, "C"),
                Arguments.of("C", "I first thought A, but the final answer is C.", true, "C"),
                Arguments.of("C", "I first thought C, but the final answer is A.", false, "A"),
                Arguments.of("B", "Let's check each option.\nA) No.\nB) Correct, it conserves energy.\nC) No.", true, "B"),
                Arguments.of("D", "I'd go with option D.", true, "D"),
                Arguments.of("A", "<think>Surely it's B... no.</think>\nAnswer: a", true, "A"),
                Arguments.of("A", "A cat is a mammal, so the question is odd.", false, null),
                Arguments.of("B", "It could be A or B.", false, null),
                Arguments.of("J", "\\boxed{J}", true, "J"));
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("mcq")
    void should_grade_a_choice_when_the_letter_matches_the_reference(
            String answer, String response, boolean correct, String extracted) {
        // when
        Grade grade = grade(AnswerType.MCQ, answer, response);

        // then
        assertThat(grade).isEqualTo(new Grade(correct, extracted));
    }

    static Stream<Arguments> number() {
        return Stream.of(
                Arguments.of("4", "2 + 2 = 4", true, "4"),
                Arguments.of("4", "The answer is 4.0", true, "4"),
                Arguments.of("3500", "Final answer: 3,500 people", true, "3500"),
                Arguments.of("0.75", "\\boxed{\\frac{3}{4}}", true, "0.75"),
                Arguments.of("3/4", "The answer is 0.75", true, "0.75"),
                Arguments.of("1500", "About 1.5e3 m", true, "1500"),
                Arguments.of("-7", "Answer: −7", true, "-7"),
                Arguments.of("1200.50", "The total is **$1,200.50**.", true, "1200.5"),
                Arguments.of("0.333333", "\\boxed{1/3}", true, "0.3333333333333333"),
                Arguments.of("100000", "The answer is 100,009", true, "100009"),
                Arguments.of("100000", "The answer is 100,011", false, "100011"),
                Arguments.of("0", "The answer is 0.0000005", true, "0.0000005"),
                Arguments.of("0", "The answer is 0.000002", false, "0.000002"),
                Arguments.of("12", "There are **3** cases; adding them gives 17.", false, "17"),
                Arguments.of("0.5", "The answer is 50%", false, "50"),
                Arguments.of("42", "I do not know.", false, null),
                Arguments.of("42", "<think>It is 42.</think>I'd say 41.", false, "41"));
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("number")
    void should_grade_a_number_when_it_is_within_tolerance_of_the_reference(
            String answer, String response, boolean correct, String extracted) {
        // when
        Grade grade = grade(AnswerType.NUMBER, answer, response);

        // then
        assertThat(grade).isEqualTo(new Grade(correct, extracted));
    }

    static Stream<Arguments> exact() {
        return Stream.of(
                Arguments.of("Paris", "Paris", true, "paris"),
                Arguments.of("Paris", "  **PARIS.** ", true, "paris"),
                Arguments.of("The Eiffel Tower", "eiffel tower", true, "eiffel tower"),
                Arguments.of("Paris", "The answer is Paris.", true, "paris"),
                Arguments.of("Paris", "Final answer: Paris", true, "paris"),
                Arguments.of("Paris", "Paris, because it has been the capital since 987.", true, "paris"),
                Arguments.of("Paris", "The capital of France is **Paris**.", true, "paris"),
                Arguments.of("Paris", "<think>Lyon? No.</think>\n**Paris**", true, "paris"),
                Arguments.of("42", "The answer is 42.0", true, "42"),
                Arguments.of("C", "The answer is (C).", true, "c"),
                Arguments.of("Paris", "The capital of France is Paris.", false, "capital of france is paris"),
                Arguments.of("Paris", "It is definitely not **Paris**.", false, "it is definitely not paris"),
                Arguments.of("Paris", "The answer is Lyon, not Paris.", false, "lyon"),
                Arguments.of("Paris", "Paris, Texas", false, "paris texas"),
                Arguments.of("Paris", "", false, null));
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("exact")
    void should_grade_text_when_the_normalised_answer_stands_alone(
            String answer, String response, boolean correct, String extracted) {
        // when
        Grade grade = grade(AnswerType.EXACT, answer, response);

        // then
        assertThat(grade).isEqualTo(new Grade(correct, extracted));
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @CsvSource(delimiter = '|', textBlock = """
            \\bparis\\b                 | The capital is PARIS.                | true  | PARIS
            '^\\s*(yes|y)\\b'           | '  Yes, it is.'                      | true  | '  Yes'
            'o(?:x|xen)'                | Oxen pull carts.                     | true  | Ox
            start.*end                  | start\\nmiddle\\nend                 | true  | start\\nmiddle\\nend
            \\b42\\b                    | 420 is not it                        | false |
            paris                       | <think>paris</think>Lyon             | false |
            """)
    void should_grade_by_regex_when_the_pattern_is_found_in_the_response(
            String answer, String response, boolean correct, String extracted) {
        // when
        Grade grade = grade(AnswerType.REGEX, answer, response.replace("\\n", "\n"));

        // then
        assertThat(grade).isEqualTo(new Grade(correct, extracted == null ? null : extracted.replace("\\n", "\n")));
    }

    @Test
    void should_reuse_a_regex_grader_when_items_repeat() {
        // given
        Grader grader = Graders.forType(AnswerType.REGEX, null);
        ProfilingItem item = item("\\d+ apples", AnswerType.REGEX);

        // when
        Grade first = grader.grade(item, "I have 12 apples");
        Grade second = grader.grade(item, "I have no apples");

        // then
        assertThat(first).isEqualTo(Grade.right("12 apples"));
        assertThat(second).isEqualTo(Grade.wrong(null));
    }

    @Test
    void should_refuse_a_judge_grader_when_no_judge_is_given() {
        assertThatThrownBy(() -> Graders.forType(AnswerType.JUDGE, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("judge");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            mcq    | C
            mcq    | (c)
            mcq    | ' **J** '
            number | 42
            number | -1.5e3
            number | 3/4
            number | 12.5%
            number | '$1,200.50'
            number | 42 km
            exact  | Paris
            exact  | 0
            regex  | \\bparis\\b
            judge  | ''
            judge  | Any answer naming the Treaty of Versailles.
            """)
    void should_accept_an_item_when_its_answer_can_be_graded(String type, String answer) {
        // given
        ProfilingItem item = item(answer, AnswerType.fromId(type).orElseThrow());

        // when / then
        assertThatNoException().isThrownBy(() -> Graders.validate(item));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            mcq    | K                     | must be one letter A to J
            mcq    | CD                    | must be one letter A to J
            mcq    | The answer is C       | must be one letter A to J
            mcq    | ''                    | must be one letter A to J
            number | forty-two             | must be a number
            number | 1, 2                  | must be a number
            number | ''                    | must be a number
            exact  | '**...**'             | is empty
            regex  | ''                    | would match every response
            regex  | (unclosed             | not a valid regular expression
            regex  | '[a-'                 | not a valid regular expression
            """)
    void should_reject_an_item_when_its_answer_cannot_be_graded(String type, String answer, String problem) {
        // given
        ProfilingItem item = item(answer, AnswerType.fromId(type).orElseThrow());

        // when / then
        assertThatThrownBy(() -> Graders.validate(item))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item 'q1'")
                .hasMessageContaining(problem);
    }

    @Test
    void should_fail_loudly_when_grading_an_item_that_does_not_validate() {
        // given
        Grader grader = Graders.forType(AnswerType.NUMBER, null);

        // when / then
        assertThatThrownBy(() -> grader.grade(item("many", AnswerType.NUMBER), "42"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item 'q1'");
    }
}
