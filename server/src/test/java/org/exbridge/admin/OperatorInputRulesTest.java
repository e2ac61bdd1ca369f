package org.exbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.exbridge.binding.BindingStatus;
import org.junit.jupiter.api.Test;
import org.springframework.web.server.ResponseStatusException;

/** How the operator API reads the URLs operators paste, and how it states progress. */
class OperatorInputRulesTest {

  @Test
  void anEwsUrlIsCompletedOrRefusedWithTheHint() {
    assertThat(AdminAccountAdminController.ewsUrl("https://mail.contoso.com"))
        .isEqualTo("https://mail.contoso.com/EWS/Exchange.asmx");
    assertThat(AdminAccountAdminController.ewsUrl("https://mail.contoso.com//"))
        .isEqualTo("https://mail.contoso.com/EWS/Exchange.asmx");
    assertThat(AdminAccountAdminController.ewsUrl("https://mail.contoso.com:8443/ews/"))
        .isEqualTo("https://mail.contoso.com:8443/ews/Exchange.asmx");
    assertThat(AdminAccountAdminController.ewsUrl("https://mail.contoso.com/EWS/Exchange.asmx"))
        .isEqualTo("https://mail.contoso.com/EWS/Exchange.asmx");
    // A proxy's own path is kept as given.
    assertThat(AdminAccountAdminController.ewsUrl("https://proxy.contoso.com/exchange/ews.asmx"))
        .isEqualTo("https://proxy.contoso.com/exchange/ews.asmx");
    for (String wrong :
        new String[] {
          "https://mail.contoso.com/owa",
          "https://mail.contoso.com/OWA/",
          "https://mail.contoso.com/autodiscover/autodiscover.xml",
          "https://mail.contoso.com/ecp/"
        }) {
      assertThatThrownBy(() -> AdminAccountAdminController.ewsUrl(wrong))
          .isInstanceOf(ResponseStatusException.class)
          .hasMessageContaining("/EWS/Exchange.asmx");
    }
    assertThatThrownBy(
            () -> AdminAccountAdminController.ewsUrl("https://m.test/EWS/Exchange.asmx?x=1"))
        .hasMessageContaining("query");
    assertThatThrownBy(() -> AdminAccountAdminController.ewsUrl("file:///etc/passwd"))
        .hasMessageContaining("http or https");
  }

  @Test
  void aGraphUrlMeansTheRootWithOrWithoutV1() {
    assertThat(AdminAccountAdminController.graphUrl("https://graph.microsoft.com/v1.0"))
        .isEqualTo("https://graph.microsoft.com");
    assertThat(AdminAccountAdminController.graphUrl("https://graph.microsoft.com/V1.0/"))
        .isEqualTo("https://graph.microsoft.com");
    assertThat(AdminAccountAdminController.graphUrl("https://graph.microsoft.com/"))
        .isEqualTo("https://graph.microsoft.com");
    assertThat(AdminAccountAdminController.graphUrl("https://microsoftgraph.chinacloudapi.cn/v1.0"))
        .isEqualTo("https://microsoftgraph.chinacloudapi.cn");
    assertThat(AdminAccountAdminController.graphUrl("https://graph.microsoft.us"))
        .isEqualTo("https://graph.microsoft.us");
    assertThatThrownBy(
            () -> AdminAccountAdminController.graphUrl("https://graph.microsoft.com/beta"))
        .hasMessageContaining("beta");
  }

  @Test
  void progressIsAShareOfTheEstimateWithinWhatTheStatusSays() {
    assertThat(BindingsAdminController.percent(BindingStatus.DONE, 10, 5000)).isEqualTo(100);
    assertThat(BindingsAdminController.percent(BindingStatus.ERR, 10, 20)).isZero();
    assertThat(BindingsAdminController.percent(BindingStatus.DOING, 0, null)).isEqualTo(2);
    assertThat(BindingsAdminController.percent(BindingStatus.TIMESPAN_DONE, 10, 1000))
        .isEqualTo(40);
    assertThat(BindingsAdminController.percent(BindingStatus.TIMESPAN_DONE, 700, 1000))
        .isEqualTo(70);
    // Exceptions stored as events of their own can pass the estimate: never 100 before done.
    assertThat(BindingsAdminController.percent(BindingStatus.TIMESPAN_DONE, 1300, 1000))
        .isEqualTo(99);
    assertThat(BindingsAdminController.percent(BindingStatus.CAL_DONE, 0, 0)).isEqualTo(10);
  }
}
