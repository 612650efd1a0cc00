//! Decode speed: the generated hand-written Deserialize of a 1,000-field struct against
//! serde's derive of the same struct. Prints time per decode and the ratio.
mod derived;
use std::hint::black_box;
use std::time::Instant;

fn doc(n: usize, every: usize) -> String {
    let mut out = String::from("{");
    for i in (0..n).step_by(every) {
        if out.len() > 1 { out.push(','); }
        let v = match i % 4 { 0 => "\"some text\"".to_string(), 1 => i.to_string(), 2 => "true".into(), _ => "1.5".into() };
        out.push_str(&format!("\"prop_{i}\":{v}"));
    }
    out.push_str(",\"unknown_key\":[1,2,3]}");
    out
}

fn time<T: serde::de::DeserializeOwned>(json: &str, rounds: usize) -> f64 {
    let start = Instant::now();
    for _ in 0..rounds {
        black_box(serde_json::from_str::<T>(black_box(json)).unwrap());
    }
    start.elapsed().as_secs_f64() / rounds as f64 * 1e6
}

fn main() {
    for every in [1, 10] {
        let json = doc(1000, every);
        // Both decode the same values.
        let a = serde_json::to_value(serde_json::from_str::<wide_props::types::Wide>(&json).unwrap()).unwrap();
        let b = serde_json::to_value(serde_json::from_str::<derived::Wide>(&json).unwrap()).unwrap();
        assert_eq!(a, b);
        let (_, _) = (time::<derived::Wide>(&json, 200), time::<wide_props::types::Wide>(&json, 200));
        let mut best = (f64::MAX, f64::MAX);
        for _ in 0..5 {
            best.0 = best.0.min(time::<derived::Wide>(&json, 2000));
            best.1 = best.1.min(time::<wide_props::types::Wide>(&json, 2000));
        }
        println!("{} of 1000 fields set: derive {:.2} us, by hand {:.2} us, hand/derive = {:.3}", 1000 / every, best.0, best.1, best.1 / best.0);
    }
}
