//! The ledger's side of the contract with the server (`fake-contract.md` in the team's notes):
//! the server's placeholder has exactly these signatures, so the merge compiles only while
//! they hold. Each line stops compiling when its signature changes.

use serde_json::Value;

use crate::exchange::{Call, Notice, Outcome, Refusal};
use crate::ledger::{Ledger, PayMethod, Purchase};

#[test]
fn the_ledger_has_the_signatures_the_server_calls() {
    let _: fn() -> Ledger = Ledger::new;
    let _: for<'a, 'b> fn(&'a mut Ledger, &'b Call<'b>) -> Option<Outcome> = Ledger::handle;
    let _: fn(&mut Ledger) -> Vec<Notice> = Ledger::take_notices;
    let _: fn(&mut Ledger, Purchase, i64) -> Result<String, Refusal> = Ledger::pay;
    let _: fn(&mut Ledger, &str, i64) -> Result<(), Refusal> = Ledger::deposit;
    let _: fn(&mut Ledger, i64) -> Vec<String> = Ledger::run_due_schedules;
    let _: fn(&Ledger, &str) -> Option<Value> = Ledger::payment;
    // The builder takes `impl Into<String>`, which cannot be named in a function type.
    let _: fn(&str, f64, PayMethod) -> Purchase =
        |id, amount, method| Purchase::new(id, amount, method);
    let _: fn(Purchase, String) -> Purchase = |purchase, url| purchase.notice_url(url);
    let _: fn(Purchase, &str) -> Purchase = |purchase, name| purchase.buyer_name(name);
    let methods = [
        PayMethod::Card,
        PayMethod::Trans,
        PayMethod::Vbank,
        PayMethod::Phone,
    ];
    let mut ledger = Ledger::new();
    for (i, method) in methods.into_iter().enumerate() {
        let imp_uid = ledger
            .pay(Purchase::new(format!("order-{i}"), 100.0, method), 0)
            .expect("paid");
        assert!(ledger.payment(&imp_uid).is_some());
    }
}
