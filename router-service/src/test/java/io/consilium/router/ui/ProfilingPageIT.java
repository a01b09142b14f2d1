package io.consilium.router.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Expert;
import io.consilium.registry.MockBehaviour;
import io.consilium.registry.Provider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** A small profiling job started from an uploaded JSONL file, followed to its end, and its effect on the heatmap. */
class ProfilingPageIT extends BrowserTest {

    private static final String EXPERT = "ui-profiled-mock";
    private static final String SLOW_EXPERT = "ui-slow-mock";
    private static final String ITEMS = """
            {"id": "u1", "question": "What is 6 times 7?", "answer": 42, "answer_type": "number", "skills": ["math.algebra"]}
            {"id": "u2", "question": "What is 2 plus 2?", "answer": 4, "answer_type": "number", "skills": ["math.algebra"]}
            {"id": "u3", "question": "Name the capital of France.", "answer": "Paris", "answer_type": "exact", "skills": ["humanities.history"]}
            {"id": "u4", "question": "What is 10 minus 3?", "answer": 7, "answer_type": "number", "skills": ["math.algebra"]}
            """;

    @BeforeEach
    void registerExpert() {
        if (registry.find(EXPERT).isEmpty()) {
            // Slow enough that the progress bar is seen moving, fast enough for a quick test.
            registry.register(Expert.builder(EXPERT).provider(Provider.MOCK)
                    .mock(new MockBehaviour(Duration.ofMillis(150), 0)).skills(List.of("math.algebra")).build());
            registry.register(Expert.builder(SLOW_EXPERT).provider(Provider.MOCK)
                    .mock(new MockBehaviour(Duration.ofMillis(300), 0)).build());
        }
    }

    @Test
    void should_upload_items_follow_the_progress_bar_to_the_end_and_show_the_profile_changes() throws IOException {
        // given
        Path items = Files.createTempFile("profiling-items", ".jsonl");
        Files.writeString(items, ITEMS);
        open("/admin/profiling");
        WebElement form = visible(By.id("profiling-form"));
        form.findElement(By.id("items-file")).sendKeys(items.toAbsolutePath().toString());
        form.findElement(By.cssSelector("input[name=experts][value='" + EXPERT + "']")).click();
        WebElement concurrency = form.findElement(By.id("concurrency"));
        concurrency.clear();
        concurrency.sendKeys("1");

        // when
        form.findElement(By.cssSelector("button[type=submit]")).click();

        // then: the bar fills as the job's events arrive, and ends full
        WebElement progress = visible(By.id("job-progress"));
        waitUntil(ExpectedConditions.textToBe(By.id("job-state"), "succeeded"));
        assertThat(progress.getAttribute("value")).isEqualTo("4");
        assertThat(progress.getAttribute("max")).isEqualTo("4");
        assertThat(browser.findElement(By.id("job-status")).getText()).contains("4 of 4 calls done").contains("0 failed");
        WebElement changes = visible(By.id("changes-table"));
        assertThat(changes.getText()).contains(EXPERT).contains("math.algebra").contains("humanities.history");
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs"), "succeeded"));
        assertThat(browser.findElement(By.id("job-cancel")).isDisplayed()).isFalse();
        screenshot("profiling");

        // and: the heatmap shows the measurement behind the cell
        open("/admin/skills");
        List<WebElement> headers = browser.findElements(By.cssSelector("table.heatmap thead th"));
        int column = headers.stream().map(WebElement::getText).toList().indexOf(EXPERT);
        assertThat(column).isPositive();
        WebElement cell = browser.findElement(By.xpath(
                "//table[contains(@class,'heatmap')]//tr[th/span[text()='math.algebra']]/td[" + column + "]"));
        assertThat(cell.getAttribute("title")).contains(EXPERT).contains("correct of 3 attempted");
        assertThat(cell.getAttribute("class")).contains("measured");
        assertThat(cell.findElement(By.className("answers")).getText()).isEqualTo("3");
        // and: a skill nothing measured shows its prior apart, without a count
        WebElement prior = browser.findElement(By.xpath(
                "//table[contains(@class,'heatmap')]//tr[th/span[text()='law']]/td[" + column + "]"));
        assertThat(prior.getAttribute("class")).contains("prior").doesNotContain("measured").doesNotContainPattern("h\\d");
        assertThat(prior.findElements(By.className("answers"))).isEmpty();
        assertThat(prior.getAttribute("title")).contains("no measurements yet");
        screenshot("skills");
    }

    @Test
    void should_say_what_is_wrong_with_a_bad_upload() throws IOException {
        // given: an item without an answer
        Path items = Files.createTempFile("profiling-bad-items", ".jsonl");
        Files.writeString(items, "{\"id\": \"x\", \"question\": \"q\", \"answer_type\": \"exact\"}\n");
        open("/admin/profiling");
        WebElement form = visible(By.id("profiling-form"));
        form.findElement(By.id("items-file")).sendKeys(items.toAbsolutePath().toString());
        form.findElement(By.cssSelector("input[name=experts][value='" + EXPERT + "']")).click();

        // when
        form.findElement(By.cssSelector("button[type=submit]")).click();

        // then
        WebElement error = visible(By.cssSelector("[data-field=items] .field-error"));
        assertThat(error.getText()).contains("answer");
        assertThat(browser.findElement(By.id("job")).isDisplayed()).isFalse();
    }

    @Test
    void should_cancel_a_running_job() throws IOException {
        // given: a job that would take several seconds
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append("{\"id\": \"c").append(i).append("\", \"question\": \"What is ").append(i)
                    .append(" plus 1?\", \"answer\": ").append(i + 1).append(", \"answer_type\": \"number\", ")
                    .append("\"skills\": [\"math.algebra\"]}\n");
        }
        Path items = Files.createTempFile("profiling-long-items", ".jsonl");
        Files.writeString(items, lines);
        open("/admin/profiling");
        WebElement form = visible(By.id("profiling-form"));
        form.findElement(By.id("items-file")).sendKeys(items.toAbsolutePath().toString());
        form.findElement(By.cssSelector("input[name=experts][value='" + SLOW_EXPERT + "']")).click();
        WebElement concurrency = form.findElement(By.id("concurrency"));
        concurrency.clear();
        concurrency.sendKeys("1");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitUntil(ExpectedConditions.textToBe(By.id("job-state"), "running"));

        // when
        visible(By.id("job-cancel")).click();

        // then
        waitUntil(ExpectedConditions.textToBe(By.id("job-state"), "cancelled"));
        assertThat(Integer.parseInt(browser.findElement(By.id("job-progress")).getAttribute("value"))).isLessThan(30);
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs"), "cancelled"));
    }
}
