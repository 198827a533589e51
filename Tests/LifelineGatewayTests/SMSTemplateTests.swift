import Testing
@testable import LifelineGateway

@Suite("SMS webhook bodies keep the values inside their format")
struct SMSTemplateTests {
    @Test("JSON bodies escape quotes and line breaks")
    func json() {
        let body = WebhookSMSSender.render(SMSConfiguration.defaultWebhookBody, to: "+336", text: "say \"hi\"\nnow",
                                           contentType: "application/json")
        #expect(body == #"{"to":"+336","text":"say \"hi\"\nnow"}"#)
    }

    @Test("form bodies percent-encode, so a value cannot add a field")
    func form() {
        let body = WebhookSMSSender.render("to={to}&msg={text}", to: "+336", text: "a&admin=1 b",
                                           contentType: "application/x-www-form-urlencoded")
        #expect(body == "to=%2B336&msg=a%26admin%3D1%20b")
    }
}
