package io.consilium.router.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** An API key made on the keys page, shown once, working, then revoked. */
class KeysPageIT extends BrowserTest {

    @Test
    void should_show_a_new_key_once_and_revoke_it() {
        // given
        open("/admin/keys");
        WebElement form = visible(By.id("key-form"));
        form.findElement(By.name("name")).sendKeys("ui-notebook");
        form.findElement(By.name("models")).sendKeys("consilium/auto, mock-math");
        form.findElement(By.name("requests_per_minute")).sendKeys("60");

        // when
        form.findElement(By.cssSelector("button[type=submit]")).click();

        // then: the key, once, and a line for it with only its prefix
        String key = visible(By.id("created-key-value")).getText();
        assertThat(key).startsWith("csk-");
        assertThat(browser.findElement(By.id("created-key-name")).getText()).isEqualTo("ui-notebook");
        WebElement row = visible(By.xpath("//div[@id='keys-table']//tr[th[text()='ui-notebook']]"));
        assertThat(row.getText()).contains(key.substring(0, 12)).doesNotContain(key)
                .contains("consilium/auto, mock-math").contains("60 requests/min").contains("live");
        assertThat(send("GET", "/v1/models", null, null, key).statusCode()).isEqualTo(200);
        screenshot("keys");
        // and: the whole 12-character prefix shows, on a phone's width too
        for (int width : new int[] {1280, 420}) {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(width, 900));
            WebElement prefix = row.findElement(By.cssSelector("td.mono"));
            assertThat(prefix.getText()).startsWith(key.substring(0, 12));
            assertThat(((Number) script("return arguments[0].scrollWidth - arguments[0].clientWidth;", prefix)).intValue())
                    .as("prefix cut off at %d px", width).isLessThanOrEqualTo(0);
        }
        screenshot("keys-420");
        browser.manage().window().setSize(WINDOW);

        // when: put away, and the page opened again
        browser.findElement(By.id("created-key-done")).click();
        open("/admin/keys");

        // then: nowhere on the page any more
        assertThat(browser.getPageSource()).doesNotContain(key);

        // when: revoked, after confirming
        String id = visible(By.xpath("//div[@id='keys-table']//tr[th[text()='ui-notebook']]")).getAttribute("data-key");
        browser.findElement(By.cssSelector("tr[data-key='" + id + "'] button[aria-label='Revoke ui-notebook']")).click();
        waitUntil(ExpectedConditions.alertIsPresent()).accept();

        // then
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-key='" + id + "'] .badge"), "revoked"));
        assertThat(browser.findElements(By.cssSelector("tr[data-key='" + id + "'] button"))).isEmpty();
        assertThat(send("GET", "/v1/models", null, null, key).statusCode()).isEqualTo(401);
    }

    @Test
    void should_show_a_keys_budget_and_what_it_spent_of_it() {
        // given: a key with a daily budget and a ceiling, made on the page; $1000 per million tokens, so one answer
        // of the fake upstream (18 tokens) costs $0.018
        FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
        try (upstream) {
            Expert priced = registerRemote(upstream.baseUrl(), builder -> builder.cost(new Cost(1000, 1000)));
            open("/admin/keys");
            WebElement form = visible(By.id("key-form"));
            form.findElement(By.name("name")).sendKeys("ui-budgeted");
            form.findElement(By.name("budget_usd")).sendKeys("2.5");
            new Select(form.findElement(By.name("budget_period"))).selectByValue("day");
            form.findElement(By.name("max_k")).sendKeys("2");
            form.findElement(By.name("strategies")).sendKeys("coe, cost");
            form.findElement(By.cssSelector("button[type=submit]")).click();
            String key = visible(By.id("created-key-value")).getText();
            By row = By.xpath("//div[@id='keys-table']//tr[th[text()='ui-budgeted']]");
            assertThat(visible(row).findElement(By.cssSelector("td.budget")).getText()).isEqualTo("$0.0000 of $2.50 today");
            assertThat(visible(row).getText()).contains("k ≤ 2").contains("strategies coe, cost");

            // when: the key is used once
            assertThat(send("POST", "/v1/chat/completions", "application/json", "{\"model\": \"" + priced.id()
                    + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", key).statusCode()).isEqualTo(200);
            browser.findElement(By.id("created-key-done")).click();
            open("/admin/keys");

            // then
            assertThat(visible(row).findElement(By.cssSelector("td.budget")).getText()).isEqualTo("$0.0180 of $2.50 today");
            screenshot("keys-budget");
        }
    }

    @Test
    void should_show_the_api_error_next_to_the_field_it_names() {
        // given
        open("/admin/keys");
        WebElement form = visible(By.id("key-form"));
        form.findElement(By.name("name")).sendKeys("ui-bad-limit");
        form.findElement(By.name("tokens_per_minute")).sendKeys("-5");

        // when
        form.findElement(By.cssSelector("button[type=submit]")).click();

        // then
        WebElement error = visible(By.cssSelector("[data-field=tokens_per_minute] .field-error"));
        assertThat(error.getText()).contains("whole number").contains("-5");
        assertThat(browser.findElement(By.id("created-key")).isDisplayed()).isFalse();
    }
}
