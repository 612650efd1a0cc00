//! Decoding and encoding the seed's example response (`tests/support/seed_example.json`):
//! the generated `txcloud::types::Verification`, a hand-written serde struct of the same
//! shape (plain derives, closed enums: the practical limit), and `serde_json::Value`.
//!
//! `cargo bench --bench decode`. Before measuring, the bench checks that all three read
//! the example and that the generated and hand-written types write the same JSON.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::time::Duration;

const SEED: &str = include_str!("../../../tests/support/seed_example.json");

/// What someone would write by hand for the same response: the same fields and types
/// as the generated code, with serde's derives only.
mod hand {
    use chrono::{DateTime, NaiveDate, Utc};
    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Value};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Verification {
        pub id: String,
        pub object: VerificationObject,
        pub created_at: DateTime<Utc>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub updated_at: Option<DateTime<Utc>>,
        pub status: VerificationStatus,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub document_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub country: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub extracted_data: Option<ExtractedData>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub checks: Option<VerificationChecks>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub risk_score: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub risk_level: Option<Level>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub fraud_signals: Option<Vec<FraudSignal>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub metadata: Option<Map<String, Value>>,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum VerificationObject {
        #[serde(rename = "identity.verification")]
        IdentityVerification,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum VerificationStatus {
        Pending,
        Verified,
        Rejected,
        Review,
        Expired,
        Error,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Level {
        Low,
        Medium,
        High,
        Critical,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ExtractedData {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub document_number: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub first_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub last_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub first_name_arabic: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub last_name_arabic: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub date_of_birth: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub gender: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub nationality: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub issue_date: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub expiry_date: Option<NaiveDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub address: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub place_of_birth: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub mrz: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub field_confidences: Option<Map<String, Value>>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct VerificationChecks {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub ocr: Option<Check>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub face_match: Option<FaceMatchCheck>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub liveness: Option<LivenessCheck>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub fraud: Option<FraudCheck>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub duplicate: Option<Check>,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum CheckStatus {
        Passed,
        Failed,
        Pending,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Check {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub status: Option<CheckStatus>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub confidence: Option<f64>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct FaceMatchCheck {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub status: Option<CheckStatus>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub confidence: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub similarity_score: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub threshold: Option<f64>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct LivenessCheck {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub status: Option<CheckStatus>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub confidence: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_live: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub spoof_probability: Option<f64>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct FraudCheck {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub status: Option<CheckStatus>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub confidence: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tampering_detected: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub signals: Option<Vec<String>>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct FraudSignal {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub code: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub severity: Option<Level>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
    }
}

/// All three read the example, and the two typed ones write the same JSON (not the
/// seed's own text: `123` for a `number` field comes back as `123.0`).
fn sanity_check() {
    let bytes = SEED.as_bytes();
    let generated: txcloud::types::Verification =
        serde_json::from_slice(bytes).expect("the generated type reads the seed");
    let hand: hand::Verification =
        serde_json::from_slice(bytes).expect("the hand-written type reads the seed");
    let _: serde_json::Value = serde_json::from_slice(bytes).expect("Value reads the seed");
    let from_generated = serde_json::to_value(&generated).expect("encode generated");
    let from_hand = serde_json::to_value(&hand).expect("encode hand-written");
    assert_eq!(
        from_generated, from_hand,
        "the two types must write the same JSON"
    );
}

fn decode(c: &mut Criterion) {
    sanity_check();
    let bytes = SEED.as_bytes();
    let mut group = c.benchmark_group("decode_seed");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("generated", |b| {
        b.iter(|| {
            serde_json::from_slice::<txcloud::types::Verification>(black_box(bytes))
                .expect("decode")
        })
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| serde_json::from_slice::<hand::Verification>(black_box(bytes)).expect("decode"))
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(bytes)).expect("decode"))
    });
    group.finish();

    let generated: txcloud::types::Verification = serde_json::from_slice(bytes).expect("decode");
    let hand: hand::Verification = serde_json::from_slice(bytes).expect("decode");
    let value: serde_json::Value = serde_json::from_slice(bytes).expect("decode");
    let mut group = c.benchmark_group("encode_seed");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    let mut buf = Vec::with_capacity(4096);
    group.bench_function("generated", |b| {
        b.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, black_box(&generated)).expect("encode");
        })
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, black_box(&hand)).expect("encode");
        })
    });
    group.bench_function("value", |b| {
        b.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, black_box(&value)).expect("encode");
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(60)
}

criterion_group! {
    name = benches;
    config = config();
    targets = decode
}
criterion_main!(benches);
