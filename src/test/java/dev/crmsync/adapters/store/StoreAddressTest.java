package dev.crmsync.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.model.Secret;
import org.junit.jupiter.api.Test;

class StoreAddressTest {

    @Test
    void shouldGiveEachConnectionAFileOfItsOwnBesideASqliteStore() {
        assertThat(StoreAddress.of("jdbc:sqlite:/var/lib/crmsync/crmsync.db").forConnection("acme").url())
                .isEqualTo("jdbc:sqlite:/var/lib/crmsync/crmsync-acme.db");
        assertThat(StoreAddress.of("jdbc:sqlite:/var/lib/crmsync/state").forConnection("acme-eu").url())
                .isEqualTo("jdbc:sqlite:/var/lib/crmsync/state-acme-eu");
        assertThat(StoreAddress.of("jdbc:sqlite:/var/lib/crm.sync/state").forConnection("acme").url())
                .isEqualTo("jdbc:sqlite:/var/lib/crm.sync/state-acme");
    }

    @Test
    void shouldGiveEachConnectionASchemaOfItsOwnInAPostgresqlStoreKeepingTheOtherParameters() {
        StoreAddress base = new StoreAddress("jdbc:postgresql://db:5432/crmsync?sslmode=require&currentSchema=sync",
                "crmsync", new Secret("pw"));

        StoreAddress acme = base.forConnection("acme-eu");

        assertThat(acme.url()).isEqualTo("jdbc:postgresql://db:5432/crmsync?sslmode=require&currentSchema=sync_acme_eu");
        assertThat(acme.schema()).contains("sync_acme_eu");
        assertThat(acme.user()).isEqualTo("crmsync");
        assertThat(acme.password()).isEqualTo(new Secret("pw"));
        assertThat(StoreAddress.of("jdbc:postgresql://db/crmsync").forConnection("globex").url())
                .isEqualTo("jdbc:postgresql://db/crmsync?currentSchema=crmsync_globex");
        assertThat(StoreAddress.of("jdbc:postgresql://db/crmsync?currentSchema=a").forConnection("b").url())
                .isEqualTo("jdbc:postgresql://db/crmsync?currentSchema=a_b");
    }

    @Test
    void shouldRefuseANameThatIsNotAConnectionName() {
        assertThatThrownBy(() -> StoreAddress.of("jdbc:sqlite:crmsync.db").forConnection("../etc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../etc");
    }

    @Test
    void shouldNeverShowAPasswordInTheUrlOrGivenApart() {
        StoreAddress inQuery = StoreAddress.of("jdbc:postgresql://db/crmsync?user=u&password=hunter2&ssl=true");
        StoreAddress inUserInfo = StoreAddress.of("jdbc:postgresql://u:hunter2@db/crmsync");
        StoreAddress apart = new StoreAddress("jdbc:postgresql://db/crmsync", "u", new Secret("hunter2"));

        assertThat(inQuery.redactedUrl()).isEqualTo("jdbc:postgresql://db/crmsync?user=u&password=****&ssl=true");
        assertThat(inUserInfo.redactedUrl()).isEqualTo("jdbc:postgresql://****@db/crmsync");
        assertThat(apart.toString()).isEqualTo("jdbc:postgresql://db/crmsync as u").doesNotContain("hunter2");
    }
}
