package io.consilium.router.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NextPageTest {

    @Test
    void should_go_back_only_to_a_page_of_the_ui() {
        assertThat(NextPage.orOverview("/admin/experts")).isEqualTo("/admin/experts");
        assertThat(NextPage.orOverview("/admin/skills/law")).isEqualTo("/admin/skills/law");
        assertThat(NextPage.orOverview(null)).isEqualTo("/admin");
    }

    @Test
    void should_refuse_other_places_someone_put_in_a_link() {
        assertThat(NextPage.orOverview("https://evil.example/admin")).isEqualTo("/admin");
        assertThat(NextPage.orOverview("//evil.example/admin")).isEqualTo("/admin");
        assertThat(NextPage.orOverview("/admin/../v1/models")).isEqualTo("/admin");
        assertThat(NextPage.orOverview("/admin/api/keys")).isEqualTo("/admin");
        assertThat(NextPage.orOverview("/admin/sign-in")).isEqualTo("/admin");
    }
}
