package io.consilium.router.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertApi;
import io.consilium.registry.Reachability;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** Signing in, and registering, testing, editing and disabling an expert through the pages. */
class ExpertsPageIT extends BrowserTest {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();

    @Autowired
    Reachability reachability;

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @Test
    void should_refuse_a_wrong_admin_key_and_sign_in_with_the_right_one() {
        // given: a browser that signed out
        signingOut();
        open("/admin");
        browser.findElement(By.cssSelector(".sign-out button")).click();
        waitUntil(ExpectedConditions.urlContains("/admin/sign-in"));
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("signed out");

        // when: a wrong key, then the right one
        browser.findElement(By.id("admin-key")).sendKeys("not-the-key");
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        String refusal = visible(By.id("admin-key-error")).getText();
        screenshot("sign-in-refused");
        browser.findElement(By.id("admin-key")).sendKeys(ADMIN_KEY);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();

        // then
        assertThat(refusal).contains("not the admin key");
        waitUntil(ExpectedConditions.urlToBe(baseUrl() + "/admin"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");
        assertThat(texts(By.cssSelector("table.data tbody th .mono"))).contains("mock-math");
        screenshot("overview");
    }

    @Test
    void should_register_an_expert_through_the_form_showing_a_bad_value_next_to_its_field() {
        // given
        open("/admin/experts");
        click(By.id("register-expert"));
        WebElement form = visible(By.cssSelector("#expert-dialog form"));

        // when: a base URL that is not http(s)
        form.findElement(By.name("id")).sendKeys("ui-form-expert");
        new Select(form.findElement(By.name("provider"))).selectByValue("openai");
        form.findElement(By.name("base_url")).sendKeys("ftp://models.example/v1");
        form.findElement(By.name("model")).sendKeys("fake-model");
        form.findElement(By.name("api_key")).sendKeys("sk-ui-secret-123");
        form.findElement(By.cssSelector("input[name=skills][value='math.algebra']")).click();
        form.findElement(By.cssSelector("button[type=submit]")).click();

        // then: the message next to the field it names
        WebElement baseUrlError = visible(By.cssSelector("[data-field=base_url] .field-error"));
        assertThat(baseUrlError.getText()).contains("http or https").contains("ftp://models.example/v1");
        assertThat(form.findElement(By.name("base_url")).getAttribute("aria-invalid")).isEqualTo("true");
        screenshot("expert-form-error");

        // when: corrected
        form.findElement(By.name("base_url")).clear();
        form.findElement(By.name("base_url")).sendKeys(UPSTREAM.baseUrl());
        form.findElement(By.cssSelector("button[type=submit]")).click();

        // then: registered, listed, and its key never shown
        WebElement row = visible(By.cssSelector("tr[data-expert='ui-form-expert']"));
        assertThat(row.getText()).contains("openai").contains("fake-model").contains("math.algebra").contains("healthy");
        assertThat(browser.getPageSource()).doesNotContain("sk-ui-secret-123");
        Expert registered = registry.find("ui-form-expert").orElseThrow();
        assertThat(registered.apiKey()).isNotNull();
        assertThat(registered.apiKey().reveal()).isEqualTo("sk-ui-secret-123");

        // when: tested
        click(By.cssSelector("tr[data-expert='ui-form-expert'] [data-test-expert]"));

        // then: latency of a real call through the expert's client
        waitUntil(ExpectedConditions.textMatches(By.id("test-ui-form-expert"), Pattern.compile("ok · \\d+ ms")));
        assertThat(UPSTREAM.lastReceived().headers().get("authorization")).isEqualTo("Bearer sk-ui-secret-123");
        screenshot("experts");
    }

    @Test
    void should_show_every_bad_field_at_once_and_clear_each_as_it_is_corrected() {
        // given
        open("/admin/experts");
        click(By.id("register-expert"));
        WebElement form = visible(By.cssSelector("#expert-dialog form"));
        form.findElement(By.cssSelector("details.more summary")).click();

        // when: four fields wrong, one of them inside the folded part
        form.findElement(By.name("id")).sendKeys("Bad Id!");
        new Select(form.findElement(By.name("provider"))).selectByValue("openai");
        form.findElement(By.name("base_url")).sendKeys("ftp://models.example/v1");
        form.findElement(By.name("limits.timeout")).sendKeys("soon");
        form.findElement(By.cssSelector("button[type=submit]")).click();

        // then: each next to its field, all at once, and nothing registered
        waitUntil(driver -> invalidFields().size() == 4);
        assertThat(invalidFields()).containsExactlyInAnyOrder("id", "base_url", "model", "limits.timeout");
        assertThat(visible(By.cssSelector("[data-field='limits.timeout'] .field-error")).getText())
                .contains("duration").contains("soon");
        assertThat(registry.find("Bad Id!")).isEmpty();
        screenshot("expert-form-errors");

        // when: the id corrected
        form.findElement(By.name("id")).clear();
        form.findElement(By.name("id")).sendKeys("ui-many-errors");

        // then: its error gone at once, the others still there
        assertThat(invalidFields()).containsExactlyInAnyOrder("base_url", "model", "limits.timeout");
        assertThat(form.findElement(By.cssSelector("[data-field=id] .field-error")).getText()).isEmpty();
        assertThat(form.findElement(By.name("id")).getAttribute("aria-invalid")).isNull();

        // when: the rest corrected and sent
        form.findElement(By.name("base_url")).clear();
        form.findElement(By.name("base_url")).sendKeys(UPSTREAM.baseUrl());
        form.findElement(By.name("model")).sendKeys("fake-model");
        form.findElement(By.name("limits.timeout")).clear();
        form.findElement(By.name("limits.timeout")).sendKeys("9s");
        assertThat(invalidFields()).isEmpty();
        form.findElement(By.cssSelector("button[type=submit]")).click();

        // then
        visible(By.cssSelector("tr[data-expert='ui-many-errors']"));
        assertThat(registry.find("ui-many-errors").orElseThrow().limits().timeout()).hasSeconds(9);
    }

    private static List<String> invalidFields() {
        return browser.findElements(By.cssSelector("#expert-dialog .field.invalid")).stream()
                .map(field -> field.getAttribute("data-field")).toList();
    }

    @Test
    void should_show_an_expert_that_failed_its_health_check_as_unreachable_with_the_reason() {
        // given: an expert whose host resolves nowhere, checked once
        Expert expert = registerRemote("http://vllm-coder.invalid:8000/v1");
        reachability.check(expert);

        // when
        open("/admin/experts");

        // then
        WebElement badge = visible(By.cssSelector("tr[data-expert='" + expert.id() + "'] .badge"));
        assertThat(badge.getText()).isEqualTo("unreachable");
        assertThat(badge.getAttribute("title")).contains("does not resolve").contains("routing skips it");
    }

    @Test
    void should_edit_keeping_the_stored_key_then_disable_and_delete() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String id = expert.id();
        String key = expert.apiKey().reveal();
        open("/admin/experts");

        // when: the timeout changed, the Responses API declared, the key field left empty
        click(By.cssSelector("button[aria-label='Edit " + id + "']"));
        WebElement form = visible(By.cssSelector("#expert-dialog form"));
        assertThat(form.findElement(By.name("api_key")).getAttribute("placeholder")).contains("leave empty to keep");
        WebElement timeout = form.findElement(By.name("limits.timeout"));
        timeout.clear();
        timeout.sendKeys("7s");
        assertThat(form.findElement(By.cssSelector("input[name=apis][value=chat_completions]")).isSelected()).isTrue();
        form.findElement(By.cssSelector("input[name=apis][value=responses]")).click();
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#expert-dialog form")));

        // then
        Expert edited = registry.find(id).orElseThrow();
        assertThat(edited.limits().timeout()).hasSeconds(7);
        assertThat(edited.apiKey().reveal()).isEqualTo(key);
        assertThat(edited.serves(ExpertApi.RESPONSES)).as("the endpoint now declared to serve /responses").isTrue();

        // when: disabled
        click(By.cssSelector("button[aria-label='Disable " + id + "']"));

        // then
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("tr[data-expert='" + id + "'] .badge"), "disabled"));
        assertThat(registry.find(id).orElseThrow().enabled()).isFalse();

        // when: deleted, after confirming
        click(By.cssSelector("button[aria-label='Delete " + id + "']"));
        waitUntil(ExpectedConditions.alertIsPresent()).accept();

        // then
        waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-expert='" + id + "']")));
        assertThat(registry.find(id)).isEmpty();
    }

    @Test
    void should_ask_for_the_key_again_next_to_its_field_when_an_edit_moves_the_expert_elsewhere() {
        // given
        Expert expert = registerRemote(UPSTREAM.baseUrl());
        String id = expert.id();
        String elsewhere = "http://127.0.0.1:" + UPSTREAM.port() + "/elsewhere/v1";
        open("/admin/experts");
        click(By.cssSelector("button[aria-label='Edit " + id + "']"));
        WebElement form = visible(By.cssSelector("#expert-dialog form"));

        // when: the base URL changed, the key field left empty
        form.findElement(By.name("base_url")).clear();
        form.findElement(By.name("base_url")).sendKeys(elsewhere);
        form.findElement(By.cssSelector("button[type=submit]")).click();

        // then: refused, said next to the key field, nothing changed
        WebElement keyError = visible(By.cssSelector("[data-field=api_key] .field-error"));
        assertThat(keyError.getText()).contains("send the key again");
        screenshot("expert-form-key-needed");
        assertThat(registry.find(id).orElseThrow().baseUrl()).hasToString(UPSTREAM.baseUrl());

        // when: the key typed in again
        form.findElement(By.name("api_key")).sendKeys("sk-ui-moved-key");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#expert-dialog form")));

        // then
        Expert moved = registry.find(id).orElseThrow();
        assertThat(moved.baseUrl()).hasToString(elsewhere);
        assertThat(moved.apiKey().reveal()).isEqualTo("sk-ui-moved-key");
    }

    @Test
    void should_fit_every_page_into_a_tablet_screen() {
        // given: a tablet held upright
        browser.manage().window().setSize(new Dimension(820, 1180));
        try {
            for (String page : List.of("", "/experts", "/skills", "/playground", "/profiling", "/keys")) {
                // when
                open("/admin" + page);

                // then: wide tables scroll in their own box; the page itself never scrolls sideways
                visible(By.tagName("h1"));
                long overflow = ((Number) script(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")).longValue();
                assertThat(overflow).as("sideways overflow of /admin%s at 820 px, past the edge: %s", page, script(
                        "return [...document.querySelectorAll('body *')].filter(e => !e.closest('.table-scroll')"
                                + " && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
                                + ".slice(0, 6).map(e => e.tagName + '.' + e.className + '@' + Math.round("
                                + "e.getBoundingClientRect().right)).join(', ');"))
                        .isLessThanOrEqualTo(0);
                screenshot("tablet" + (page.isEmpty() ? "-overview" : page.replace('/', '-')));
            }
        } finally {
            browser.manage().window().setSize(WINDOW);
        }
    }
}
