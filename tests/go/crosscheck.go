// An independent check of gallra's evidence log with Go's golang.org/x/mod/sumdb/note and
// sumdb/tlog: the verifier key, the signed checkpoint, every entry's inclusion proof and a
// consistency proof. Usage: go run crosscheck.go BASE_URL TOKEN [OLD_SIZE]
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

var base, token string

func get(path string) []byte {
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fail("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		fail("GET %s: %d %s", path, resp.StatusCode, body)
	}
	return body
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func hashes(list []string) []tlog.Hash {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != 32 {
			fail("bad hash %q", s)
		}
		copy(out[i][:], b)
	}
	return out
}

func main() {
	base, token = os.Args[1], os.Args[2]
	vkey := strings.TrimSpace(string(get("/api/v1/evidence/key")))
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("verifier key %q: %v", vkey, err)
	}
	n, err := note.Open(get("/api/v1/evidence/checkpoint"), note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint note: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[3] != "" {
		fail("checkpoint body is not origin, size, hash: %q", n.Text)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("size %q", lines[1])
	}
	root := hashes([]string{lines[2]})[0]
	for i := int64(0); i < size; i++ {
		entry := get(fmt.Sprintf("/api/v1/evidence/entries/%d", i))
		var p struct{ Hashes []string }
		if err := json.Unmarshal(get(fmt.Sprintf("/api/v1/evidence/proof/inclusion?index=%d&size=%d", i, size)), &p); err != nil {
			fail("proof %d: %v", i, err)
		}
		if err := tlog.CheckRecord(hashes(p.Hashes), size, root, i, tlog.RecordHash(entry)); err != nil {
			fail("entry %d not in the checkpoint: %v", i, err)
		}
	}
	if len(os.Args) > 3 {
		old, _ := strconv.ParseInt(os.Args[3], 10, 64)
		oldRoot := hashes([]string{os.Args[4]})[0]
		var p struct{ Hashes []string }
		json.Unmarshal(get(fmt.Sprintf("/api/v1/evidence/proof/consistency?from=%d&to=%d", old, size)), &p)
		if err := tlog.CheckTree(hashes(p.Hashes), size, root, old, oldRoot); err != nil {
			fail("checkpoint %d is not consistent with %d: %v", size, old, err)
		}
	}
	fmt.Printf("OK: %s, %d entries proven in the signed checkpoint\n", lines[0], size)
}
