//! A ledger built from a seed file: its payments, billing keys, schedules and prepared
//! amounts, each entry in the spec's shape plus the few values the ledger keeps that no
//! answer shows (see the crate README's "Seed files").

use super::record::{
    AppliedPromotion, Cancellation, PaymentRecord, Status, default_vat, mask_card_number,
};
use super::scheduled::ScheduleRecord;
use super::state::Ledger;
use crate::json::{Amount, Fields, ReadError, Seeded};
use crate::spec;

/// A seeded card number as the fake keeps it: masked, if it was given in full.
fn masked(card_number: &mut Option<String>) {
    if let Some(masked) = card_number.as_deref().and_then(mask_card_number) {
        *card_number = Some(masked);
    }
}

/// The extras of a seeded payment or schedule: `tax_free`, `vat_amount`, `notice_url`.
struct Extras {
    tax_free: Option<f64>,
    vat_amount: Option<f64>,
    notice_url: Option<String>,
}

impl Extras {
    /// Takes them out of `rest` and refuses any other key.
    fn read(mut rest: Fields) -> Result<Extras, ReadError> {
        let extras = Extras {
            tax_free: rest.optional::<Amount>("tax_free")?.map(|a| a.0),
            vat_amount: rest.optional::<Amount>("vat_amount")?.map(|a| a.0),
            notice_url: rest.optional("notice_url")?,
        };
        rest.finish()?;
        Ok(extras)
    }
}

impl Ledger {
    /// A ledger holding what `seed` holds. Refused, naming the entry and key: a key no shape
    /// has, an id given twice (`imp_uid`, a billing key's `customer_uid`, a prepared
    /// `merchant_uid`), a status the ledger does not model, and a `cancel_amount` other than
    /// the sum of the `cancel_history`.
    pub(crate) fn seeded(seed: spec::SeedFile) -> Result<Ledger, ReadError> {
        let spec::SeedFile {
            payments,
            billing_keys,
            schedules,
            prepared,
        } = seed;
        let mut ledger = Ledger::new();
        for payment in payments {
            ledger.seed_payment(payment)?;
        }
        for Seeded { mut shape, rest } in billing_keys {
            let at = format!("{}.customer_uid", rest.at());
            rest.finish()?;
            masked(&mut shape.optional.card_number);
            if ledger.billing_keys.contains_key(&shape.customer_uid) {
                return Err(twice(&at, &shape.customer_uid));
            }
            ledger
                .billing_keys
                .insert(shape.customer_uid.clone(), shape);
        }
        for Seeded { shape, rest } in schedules {
            let extras = Extras::read(rest)?;
            ledger.schedules.push(ScheduleRecord {
                shown: shape,
                tax_free: extras.tax_free.unwrap_or(0.0),
                vat_amount: extras.vat_amount,
                notice_url: extras.notice_url,
            });
        }
        for Seeded { shape, rest } in prepared {
            let at = format!("{}.merchant_uid", rest.at());
            rest.finish()?;
            if ledger.prepared.contains_key(&shape.merchant_uid) {
                return Err(twice(&at, &shape.merchant_uid));
            }
            ledger.prepared.insert(shape.merchant_uid.clone(), shape);
        }
        Ok(ledger)
    }

    fn seed_payment(&mut self, seeded: Seeded<spec::Payment>) -> Result<(), ReadError> {
        let Seeded { shape, rest } = seeded;
        let at = rest.at().to_owned();
        let extras = Extras::read(rest)?;
        if self.by_imp_uid.contains_key(&shape.imp_uid) {
            return Err(twice(&format!("{at}.imp_uid"), &shape.imp_uid));
        }
        let status = Status::from_spec(shape.status).ok_or_else(|| {
            ReadError::new(
                &format!("{at}.status"),
                format!("the fake does not model `{}`", shape.status.as_str()),
            )
        })?;
        let mut shown = shape.optional;
        masked(&mut shown.card_number);
        let seq = self.payments.len();
        let cancellations: Vec<Cancellation> = std::mem::take(&mut shown.cancel_history)
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let id = format!("fake_cancel_seed_{seq}_{i}");
                Cancellation {
                    pg_tid: c.optional.pg_tid.unwrap_or_else(|| id.clone()),
                    receipt_url: c.optional.receipt_url.unwrap_or_else(|| {
                        format!(
                            "https://fake.portone.invalid/receipts/{}/{id}",
                            shape.imp_uid
                        )
                    }),
                    id: c.optional.cancellation_id.unwrap_or(id),
                    amount: c.amount.0,
                    tax_free: 0.0,
                    vat: default_vat(c.amount.0, 0.0),
                    at: c.cancelled_at,
                    reason: c.optional.reason,
                }
            })
            .collect();
        let refunded: f64 = cancellations.iter().map(|c| c.amount).sum();
        if shape.cancel_amount != Amount(refunded) {
            return Err(ReadError::new(
                &format!("{at}.cancel_amount"),
                format!(
                    "{} is not the sum of `cancel_history` ({refunded})",
                    shape.cancel_amount.0
                ),
            ));
        }
        let time = |t: Option<i64>| t.unwrap_or(0);
        let (started_at, paid_at, failed_at, cancelled_at) = (
            time(shown.started_at),
            time(shown.paid_at),
            time(shown.failed_at),
            time(shown.cancelled_at),
        );
        let amount = shape.amount.0;
        let tax_free = extras.tax_free.unwrap_or(0.0);
        // A seeded promotion has no minimum order total, so no refund takes it back.
        let promotion = shown.promotion.take().map(|p| AppliedPromotion {
            id: p.id,
            discount: p.discount.0,
            min_amount: 0.0,
            reclaimed: false,
        });
        self.by_imp_uid.insert(shape.imp_uid.clone(), seq);
        self.payments.push(PaymentRecord {
            seq,
            imp_uid: shape.imp_uid,
            merchant_uid: shape.merchant_uid,
            amount,
            currency: shape.currency,
            tax_free,
            vat: extras
                .vat_amount
                .unwrap_or_else(|| default_vat(amount, tax_free)),
            cancellations,
            status,
            started_at,
            paid_at,
            failed_at,
            cancelled_at,
            updated_at: started_at.max(paid_at).max(failed_at).max(cancelled_at),
            notice_url: extras.notice_url,
            promotion,
            shown,
        });
        Ok(())
    }
}

fn twice(at: &str, id: &str) -> ReadError {
    ReadError::new(at, format!("`{id}` is seeded twice"))
}
