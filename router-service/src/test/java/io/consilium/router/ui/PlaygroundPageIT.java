package io.consilium.router.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The playground asking {@code consilium/auto} over two fake experts that disagree and a fake aggregator
 * that streams its synthesis. Also makes the README's screenshot ({@code docs/playground.png}) when it is
 * missing or {@code -Dconsilium.write-readme-screenshot=true} asks for it.
 */
class PlaygroundPageIT extends BrowserTest {

    private static final FakeOpenAiUpstream ALPHA = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream BETA = FakeOpenAiUpstream.start();
    private static final FakeOpenAiUpstream FUSER = FakeOpenAiUpstream.start();
    private static final String SYNTHESIS = "Both experts used the product rule, but only one finished it: "
            + "d/dx x^3 sin(x) = 3x^2 sin(x) + x^3 cos(x), which is (A).";
    private static final String QUESTION = "What is the derivative of x^3 sin(x)? (A) 3x^2 sin(x) + x^3 cos(x) "
            + "(B) 3x^2 cos(x) (C) x^3 cos(x) (D) 3x^2 sin(x)";

    @AfterAll
    static void stopUpstreams() {
        List.of(ALPHA, BETA, FUSER).forEach(FakeOpenAiUpstream::close);
    }

    @BeforeEach
    void registerExperts() {
        if (registry.find("ui-calculus-alpha").isPresent()) {
            return;
        }
        ALPHA.answerWith(Reply.completion("By the product rule: 3x^2 sin(x) + x^3 cos(x). The answer is (A)."));
        BETA.answerWith(Reply.completion("Differentiating x^3 gives 3x^2, so the answer is (D)."));
        List<String> pieces = List.of(SYNTHESIS.split("(?<= )"));
        FUSER.answerWith(Reply.stream(pieces, Duration.ofMillis(40)));
        expert("ui-calculus-alpha", ALPHA, "expert", new Cost(3, 15));
        expert("ui-calculus-beta", BETA, "expert", new Cost(0.2, 0.6));
        expert("ui-fuser", FUSER, "aggregator", new Cost(1, 4));
    }

    private void expert(String id, FakeOpenAiUpstream upstream, String role, Cost cost) {
        registry.register(Expert.builder(id).provider(Provider.OPENAI).baseUrl(upstream.baseUrl()).model(id)
                .roleIds(List.of(role)).skills(List.of("math.calculus")).cost(cost).build());
    }

    @Test
    void should_show_the_skills_the_plan_each_call_and_the_streamed_fused_answer() throws IOException {
        // given
        open("/admin/playground");
        WebElement form = visible(By.id("playground-form"));
        form.findElement(By.id("prompt")).sendKeys(QUESTION);
        new Select(form.findElement(By.id("model"))).selectByValue("consilium/auto");
        new Select(form.findElement(By.id("k"))).selectByValue("2");
        new Select(form.findElement(By.id("fusion"))).selectByValue("synthesize");
        form.findElement(By.cssSelector("details.more summary")).click();
        new Select(form.findElement(By.id("aggregator"))).selectByValue("ui-fuser");
        form.findElement(By.cssSelector("input[name=allow][value='ui-calculus-alpha']")).click();
        form.findElement(By.cssSelector("input[name=allow][value='ui-calculus-beta']")).click();

        // when
        form.findElement(By.id("ask")).click();

        // then: the synthesis streams in, and the metadata of its last chunk fills the calls table
        waitUntil(ExpectedConditions.textToBe(By.id("answer-state"), "done"));
        assertThat(browser.findElement(By.id("answer")).getText()).isEqualTo(SYNTHESIS);
        assertThat(texts(By.cssSelector("#calls-table tbody tr[data-called-expert] th")))
                .containsExactlyInAnyOrder("ui-calculus-alpha", "ui-calculus-beta");
        assertThat(texts(By.cssSelector("#calls-table tbody td .badge"))).containsOnly("ok");
        assertThat(texts(By.cssSelector("#calls-table tbody td.expert-answer")))
                .as("each expert's own answer").anySatisfy(text -> assertThat(text).contains("(A)"))
                .anySatisfy(text -> assertThat(text).contains("(D)"));
        assertThat(browser.findElement(By.id("answer-summary")).getText())
                .contains("fusion: synthesize").contains("aggregator: ui-fuser");
        // and: the aggregator's own call, with its latency and cost, after the experts'
        WebElement fuserCall = browser.findElement(By.cssSelector("#calls-table tbody tr[data-aggregator-call='ui-fuser']"));
        List<String> fuserCells = fuserCall.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertThat(fuserCall.findElement(By.tagName("th")).getText()).contains("ui-fuser").contains("aggregator");
        assertThat(fuserCells.get(0)).isEqualTo("ok");
        assertThat(fuserCells.get(1)).matches("\\d+ ms");
        assertThat(fuserCells.get(3)).startsWith("$");
        waitUntil(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#plan-table tbody tr"), 2));
        assertThat(texts(By.cssSelector("#plan-table tbody th")))
                .containsExactlyInAnyOrder("ui-calculus-alpha", "ui-calculus-beta");
        assertThat(browser.findElement(By.id("skills-note")).getText()).isNotBlank();
        assertThat(browser.findElement(By.id("skills-list")).getAttribute("textContent")).contains("math.calculus");
        assertThat(script("return Chart.getChart(document.getElementById('skills-chart')) != null")).isEqualTo(true);
        assertThat(FUSER.lastReceived().body().path("stream").asBoolean()).isTrue();

        Path shot = screenshot("playground");
        Path readmeShot = repositoryRoot().resolve("docs").resolve("playground.png");
        if (!Files.exists(readmeShot) || Boolean.getBoolean("consilium.write-readme-screenshot")) {
            Files.createDirectories(readmeShot.getParent());
            Files.write(readmeShot, Files.readAllBytes(shot));
        }

        // and: the overview counts the calls, from the service's own meters
        open("/admin");
        WebElement line = visible(By.xpath("//table[contains(@class,'data')]//tr[th/span[text()='ui-calculus-alpha']]"));
        List<String> cells = line.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertThat(cells.get(1)).as("recent calls").isEqualTo("1");
        assertThat(cells.get(2)).as("error rate").isEqualTo("0 %");
        assertThat(cells.get(3)).as("p50").matches("\\d+ ms");
        assertThat(cells.get(7)).as("prices").isEqualTo("$3.00 / $15.00");
        // 11 prompt and 7 completion tokens at $3 / $15 per Mtok: $0.000138 spent, so a rate above zero
        assertThat(cells.get(8)).as("cost per hour").matches("\\$\\d+\\.\\d+ / h").isNotEqualTo("$0 / h");
        assertThat(visible(By.id("cost-per-hour")).getText()).matches("\\$\\d+\\.\\d+ / h");
        screenshot("overview-with-traffic");
    }

    @Test
    void should_show_the_tokens_and_the_answer_of_a_direct_expert_call() {
        // given: a mock expert, asked directly
        open("/admin/playground");
        WebElement form = visible(By.id("playground-form"));
        form.findElement(By.id("prompt")).sendKeys("What is 17 * 23?");
        new Select(form.findElement(By.id("model"))).selectByValue("mock-math");

        // when
        form.findElement(By.id("ask")).click();

        // then: one line with the expert's real token counts and the answer it streamed
        waitUntil(ExpectedConditions.textToBe(By.id("answer-state"), "done"));
        WebElement call = visible(By.cssSelector("#calls-table tbody tr[data-called-expert='mock-math']"));
        List<String> cells = call.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertThat(cells.get(2)).as("tokens in / out").matches("[1-9]\\d* / [1-9]\\d*");
        assertThat(cells.get(5)).as("answer").isNotBlank().isNotEqualTo("—")
                .isEqualTo(browser.findElement(By.id("answer")).getText());
        assertThat(browser.findElement(By.id("plan-section")).isDisplayed()).isFalse();
    }

    @Test
    void should_name_the_problem_when_a_request_is_refused() {
        // given: a direct call to a disabled expert is a 404 from the API
        open("/admin/playground");
        WebElement form = visible(By.id("playground-form"));
        form.findElement(By.id("prompt")).sendKeys("Hello?");
        new Select(form.findElement(By.id("model"))).selectByValue("ui-calculus-beta");
        registry.replace(registry.find("ui-calculus-beta").orElseThrow().toBuilder().enabled(false).build());

        try {
            // when
            form.findElement(By.id("ask")).click();

            // then
            WebElement error = visible(By.id("answer-error"));
            assertThat(error.getText()).contains("ui-calculus-beta").contains("not enabled");
            assertThat(browser.findElement(By.id("answer-state")).getText()).isEqualTo("failed");
            assertThat(browser.findElement(By.id("plan-section")).isDisplayed()).isFalse();
        } finally {
            registry.replace(registry.find("ui-calculus-beta").orElseThrow().toBuilder().enabled(true).build());
        }
    }

    /** The checkout's root: where the parent pom sits next to this module. */
    private static Path repositoryRoot() {
        Path module = Path.of("").toAbsolutePath();
        return Files.exists(module.resolveSibling("pom.xml")) && module.getFileName().toString().equals("router-service")
                ? module.getParent() : module;
    }
}
