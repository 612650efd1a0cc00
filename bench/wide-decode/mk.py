# Writes one struct with N fields and the derives of MODE, with a function using them.
import sys
mode, n = sys.argv[1], int(sys.argv[2])
T = ["String","i64","bool","f64"]
fields = []
for i in range(n):
    t = T[i%4]
    if i == 0:
        fields.append(f"    pub prop_0: {t},")
    else:
        fields.append(f'    #[serde(default, skip_serializing_if = "Option::is_none")]\n    pub prop_{i}: Option<{t}>,')
derives = {"de": "serde::Deserialize", "ser": "serde::Serialize", "debug": "Debug", "clone": "Clone, PartialEq", "none": "", "all": "Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize"}
d = derives.get(mode, "")
out = []
if d: out.append(f"#[derive({d})]")
else: out.append("#[derive(serde::Serialize)]" if False else "")
if "serde" not in d:
    # still need serde attrs to be valid: use a derive-free struct without attrs
    fields = [f"    pub prop_{i}: {'Option<' + T[i%4] + '>' if i else T[0]}," for i in range(n)]
out.append("#[non_exhaustive]\npub struct Wide {\n" + "\n".join(fields) + "\n}")
if mode == "new":
    out.append("impl Wide {\n    #[inline]\n    pub fn new(prop_0: impl Into<String>) -> Self {\n        Wide {\n            prop_0: prop_0.into(),\n" + "".join(f"            prop_{i}: None,\n" for i in range(1,n)) + "        }\n    }\n}")
if mode == "setters":
    out.append("impl Wide {\n" + "".join(f"    #[inline]\n    pub fn prop_{i}(mut self, value: impl Into<{T[i%4]}>) -> Self {{\n        self.prop_{i} = Some(value.into());\n        self\n    }}\n" for i in range(1,n)) + "}")
print("\n".join(out))
if mode in ("de","all"):
    print("pub fn decode(s: &str) -> serde_json::Result<Wide> { serde_json::from_str(s) }")
    print("pub fn decode_value(v: serde_json::Value) -> serde_json::Result<Wide> { serde_json::from_value(v) }")
if mode in ("ser","all"):
    print("pub fn encode(w: &Wide) -> serde_json::Result<String> { serde_json::to_string(w) }")
    print("pub fn encode_value(w: &Wide) -> serde_json::Result<serde_json::Value> { serde_json::to_value(w) }")
if mode == "debug":
    print("pub fn show(w: &Wide) -> String { format!(\"{w:?}\") }")
if mode == "new":
    print("pub fn make() -> Wide { Wide::new(\"x\") }")
if mode == "clone":
    print("pub fn dup(w: &Wide) -> bool { w.clone() == *w }")
VAL = {'String':'"x"','i64':'1i64','bool':'true','f64':'1.0'}
if mode == "setters":
    print("pub fn set(w: Wide) -> Wide { w" + "".join(".prop_%d(%s)" % (i, VAL[T[i%4]]) for i in range(1,n)) + " }")
