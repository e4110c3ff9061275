//! The typed call through a facade: parameters checked, sent, answer decoded.

use std::sync::{Arc, Mutex};

use pims_runtime::{CallError, Client, Facade, FacadeError, Verb};
use pims_sdk::authentication::smscode::{
    PhoneNumberCertification, PhoneNumberCertificationError, ValidateEnrollmentCode,
    ValidateEnrollmentCodeResultStatus,
};
use pims_sdk::authentication::trustedphonenumber::TrustedPhoneNumber;

/// A facade that records calls and answers with a scripted message.
#[derive(Debug, Clone, Default)]
struct Scripted {
    answer: Arc<Mutex<Option<Result<String, FacadeError>>>>,
    sent: Arc<Mutex<Vec<(Verb, String, String)>>>,
}

impl Scripted {
    fn answering(message: &str) -> Self {
        let s = Scripted::default();
        *s.answer.lock().unwrap() = Some(Ok(message.to_owned()));
        s
    }
}

impl Facade for Scripted {
    fn send(
        &self,
        verb: Verb,
        api: &str,
        parameters: &str,
    ) -> impl Future<Output = Result<String, FacadeError>> + Send {
        self.sent
            .lock()
            .unwrap()
            .push((verb, api.to_owned(), parameters.to_owned()));
        let answer = self
            .answer
            .lock()
            .unwrap()
            .clone()
            .unwrap_or(Err(FacadeError("no answer".into())));
        std::future::ready(answer)
    }

    fn subscribe(
        &self,
        api: &str,
        parameters: &str,
        mut on_message: Box<dyn FnMut(String) + Send + 'static>,
    ) -> impl Future<Output = Result<String, FacadeError>> + Send {
        self.sent
            .lock()
            .unwrap()
            .push((Verb::Subscribe, api.to_owned(), parameters.to_owned()));
        on_message(r#"{"transactionId":"e1","status":"RESULT","result":{}}"#.to_owned());
        std::future::ready(Ok(
            r#"{"transactionId":"a","status":"SUCCEEDED","result":null}"#.to_owned(),
        ))
    }
}

#[test]
fn a_call_sends_the_wire_parameters_and_decodes_the_result() {
    let facade = Scripted::answering(
        r#"{"transactionId":"t","status":"SUCCEEDED","result":{"phoneNumber":"0612345678"}}"#,
    );
    let client = Client::new(facade.clone());
    let result = crate::block_on(client.call(&TrustedPhoneNumber::new())).expect("succeeds");
    assert_eq!(result.phone_number, "0612345678");
    let sent = facade.sent.lock().unwrap().clone();
    assert_eq!(
        sent,
        vec![(
            Verb::Get,
            "pims.authentication.trustedphonenumber".to_owned(),
            "{}".to_owned()
        )]
    );

    let facade = Scripted::answering(
        r#"{"transactionId":"t","status":"SUCCEEDED","result":{"status":"NotEnrolled"}}"#,
    );
    let result = crate::block_on(pims_runtime::call(
        &facade,
        &ValidateEnrollmentCode::new("123456"),
    ))
    .expect("ok");
    assert_eq!(
        result.status,
        ValidateEnrollmentCodeResultStatus::NotEnrolled
    );
    let (verb, api, parameters) = facade.sent.lock().unwrap()[0].clone();
    assert_eq!(
        (verb, api.as_str()),
        (Verb::Set, "pims.authentication.smscode")
    );
    assert_eq!(parameters, r#"{"action":"enrollment","smsCode":"123456"}"#);
}

#[test]
fn a_failed_call_gives_the_operations_error() {
    let facade = Scripted::answering(
        r#"{"transactionId":"t","status":"FAILED","error":{"code":2202,"label":"Network problem : No internet"}}"#,
    );
    let err = crate::block_on(pims_runtime::call(
        &facade,
        &PhoneNumberCertification::new("0612345678"),
    ))
    .unwrap_err();
    assert_eq!(
        err,
        CallError::Failed(PhoneNumberCertificationError::NoInternet)
    );
    assert_eq!(err.to_string(), "Network problem : No internet (2202)");
    let source = std::error::Error::source(&err).expect("a source");
    assert_eq!(source.to_string(), "Network problem : No internet (2202)");
}

#[test]
fn invalid_parameters_are_refused_and_nothing_is_sent() {
    let facade = Scripted::answering("unused");
    let err = crate::block_on(pims_runtime::call(
        &facade,
        &PhoneNumberCertification::new("call me"),
    ))
    .unwrap_err();
    let CallError::Invalid(invalid) = err else {
        panic!("{err:?}")
    };
    assert_eq!(invalid.parameter, "phoneNumber");
    assert!(facade.sent.lock().unwrap().is_empty(), "nothing was sent");
}

#[test]
fn bridge_and_decoding_failures_are_typed() {
    let facade = Scripted::default();
    let err = crate::block_on(pims_runtime::call(&facade, &TrustedPhoneNumber::new())).unwrap_err();
    assert!(matches!(err, CallError::Facade(_)), "{err:?}");
    let facade = Scripted::answering(r#"{"transactionId":"t","status":"SUCEEDED"}"#);
    let err = crate::block_on(pims_runtime::call(&facade, &TrustedPhoneNumber::new())).unwrap_err();
    let CallError::Decode(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.path, "status");
}
