# Writes lab specs: props|resp|enum|params N (bisecting the limits of issue 23).
import sys, json
kind, n = sys.argv[1], int(sys.argv[2])
spec = {"openapi": "3.0.3", "info": {"title": "wide", "version": "1"}, "paths": {}, "components": {"schemas": {}}}
if kind == "props":
    types = [{"type":"string"},{"type":"integer"},{"type":"boolean"},{"type":"number"}]
    props = {f"prop_{i}": types[i % 4] for i in range(n)}
    spec["components"]["schemas"]["Wide"] = {"type":"object","properties":props, "required": ["prop_0"]}
    spec["paths"]["/wide"] = {"post": {"operationId":"putWide",
        "requestBody":{"required":True,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Wide"}}}},
        "responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Wide"}}}}}}}
elif kind == "resp":  # response only
    types = [{"type":"string"},{"type":"integer"},{"type":"boolean"},{"type":"number"}]
    props = {f"prop_{i}": types[i % 4] for i in range(n)}
    spec["components"]["schemas"]["Wide"] = {"type":"object","properties":props}
    spec["paths"]["/wide"] = {"get": {"operationId":"getWide",
        "responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Wide"}}}}}}}
elif kind == "enum":
    spec["components"]["schemas"]["WideEnum"] = {"type":"string","enum":[f"value_{i}" for i in range(n)]}
    spec["paths"]["/wide"] = {"post": {"operationId":"putWide",
        "requestBody":{"required":True,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/WideEnum"}}}},
        "responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/WideEnum"}}}}}}}
elif kind == "params":
    types = [{"type":"string"},{"type":"integer"},{"type":"boolean"},{"type":"number"}]
    params = [{"name": f"param_{i}", "in": "query", "required": i == 0, "schema": types[i%4]} for i in range(n)]
    spec["paths"]["/wide"] = {"get": {"operationId":"getWide","parameters":params,
        "responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"string"}}}}}}}
json.dump(spec, sys.stdout, indent=1)
