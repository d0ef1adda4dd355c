// An independent check of a gallra audit bundle (unzipped in DIR) with Go's reference packages
// golang.org/x/mod/sumdb/note and sumdb/tlog: the checkpoint opens with the key given, every
// entry of every entry bundle is proven in it through the bundle's hash tiles (TileHashReader,
// ProveRecord, CheckRecord), every hash tile of the bundle is one the reader needed, and
// manifest.sig signs manifest.json, whose SHA-256 sums hold every other file and no more.
// Usage: go run bundle.go DIR KEYFILE
package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

// tiles reads C2SP tiles: Go's path without its height segment ("tile/8/0/…" is "tile/0/…").
type tiles struct {
	dir  string
	read map[string]bool
}

func (t *tiles) Height() int { return 8 }

func (t *tiles) ReadTiles(list []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(list))
	for i, tile := range list {
		path := strings.Replace(tile.Path(), "tile/8/", "tile/", 1)
		data, err := os.ReadFile(filepath.Join(t.dir, path))
		if err != nil {
			return nil, fmt.Errorf("tile %s: %v", path, err)
		}
		t.read[path] = true
		out[i] = data
	}
	return out, nil
}

func (t *tiles) SaveTiles([]tlog.Tile, [][]byte) {}

func main() {
	dir := os.Args[1]
	key, err := os.ReadFile(os.Args[2])
	if err != nil {
		fail("key: %v", err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(key)))
	if err != nil {
		fail("verifier key: %v", err)
	}
	msg, _ := os.ReadFile(filepath.Join(dir, "checkpoint"))
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	checkManifest(dir, verifier, lines[0])
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size %q", lines[1])
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != 32 {
		fail("checkpoint hash %q", lines[2])
	}
	var root tlog.Hash
	copy(root[:], raw)
	tree := tlog.Tree{N: size, Hash: root}
	reader := &tiles{dir: dir, read: map[string]bool{}}
	hashes := tlog.TileHashReader(tree, reader)
	if h, err := tlog.TreeHash(size, hashes); err != nil || h != root {
		fail("tree hash from the tiles: %v", err)
	}
	var bundles []string
	filepath.Walk(filepath.Join(dir, "tile", "entries"), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			bundles = append(bundles, p)
		}
		return nil
	})
	proven := 0
	for _, b := range bundles {
		rel, _ := filepath.Rel(filepath.Join(dir, "tile", "entries"), b)
		start := bundleStart(rel)
		data, _ := os.ReadFile(b)
		for i := start; len(data) > 0; i++ {
			if len(data) < 2 {
				fail("%s: truncated", rel)
			}
			l := int(binary.BigEndian.Uint16(data))
			if len(data) < 2+l {
				fail("%s: truncated entry %d", rel, i)
			}
			entry := data[2 : 2+l]
			data = data[2+l:]
			proof, err := tlog.ProveRecord(size, i, hashes)
			if err != nil {
				fail("entry %d: no proof from the tiles: %v", i, err)
			}
			if err := tlog.CheckRecord(proof, size, root, i, tlog.RecordHash(entry)); err != nil {
				fail("entry %d is not in the checkpoint: %v", i, err)
			}
			proven++
		}
	}
	// No more than needed: every hash tile in the bundle was read.
	var unread []string
	filepath.Walk(filepath.Join(dir, "tile"), func(p string, info os.FileInfo, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if err == nil && !info.IsDir() && !strings.HasPrefix(rel, "tile/entries/") && !reader.read[rel] {
			unread = append(unread, rel)
		}
		return nil
	})
	sort.Strings(unread)
	if len(unread) > 0 {
		fail("hash tiles not needed by the proofs: %v", unread)
	}
	fmt.Printf("OK: %s, %d entries proven in the signed checkpoint of %d through %d tiles\n", lines[0], proven, size, len(reader.read))
}

// bundleStart is the first index of entry bundle "x001/234.p/5" or "000".
func bundleStart(rel string) int64 {
	rel = strings.Split(rel, ".p/")[0]
	var n int64
	for _, part := range strings.Split(rel, "/") {
		d, err := strconv.ParseInt(strings.TrimPrefix(part, "x"), 10, 64)
		if err != nil {
			fail("entry bundle path %q", rel)
		}
		n = n*1000 + d
	}
	return n * 256
}

// checkManifest: manifest.sig opens with the key and signs manifest.json's SHA-256 and size;
// every file the manifest lists has its sum, and no other file is in the bundle.
func checkManifest(dir string, verifier note.Verifier, origin string) {
	manifest, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		fail("manifest.json: %v", err)
	}
	sig, _ := os.ReadFile(filepath.Join(dir, "manifest.sig"))
	n, err := note.Open(sig, note.VerifierList(verifier))
	if err != nil {
		fail("manifest.sig: %v", err)
	}
	sum := sha256.Sum256(manifest)
	want := fmt.Sprintf("gallra-audit-bundle/1 %s\nmanifest.json %s %d\n", origin, hex.EncodeToString(sum[:]), len(manifest))
	if n.Text != want {
		fail("manifest.sig signs another manifest")
	}
	var m struct {
		Files []struct {
			Path   string
			Sha256 string
			Bytes  int64
		}
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		fail("manifest.json: %v", err)
	}
	listed := map[string]bool{"manifest.json": true, "manifest.sig": true}
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			fail("%s: %v", f.Path, err)
		}
		s := sha256.Sum256(data)
		if hex.EncodeToString(s[:]) != f.Sha256 || int64(len(data)) != f.Bytes {
			fail("%s: its SHA-256 or size is not the manifest's", f.Path)
		}
		listed[f.Path] = true
	}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if err == nil && !info.IsDir() && !listed[filepath.ToSlash(rel)] {
			fail("%s: not listed in the manifest", rel)
		}
		return nil
	})
}
