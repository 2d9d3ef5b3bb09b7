package auth

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateKeyCreatesFileOnce(t *testing.T) {
	t.Setenv(EnvSecretKey, "")
	os.Unsetenv(EnvSecretKey)
	dir := filepath.Join(t.TempDir(), "data") // does not exist yet
	k1, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(k1) != KeySize || bytes.Equal(k1, make([]byte, KeySize)) {
		t.Fatalf("key %x", k1)
	}
	st, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	k2, err := LoadOrCreateKey(dir)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second load: %x, %v; want the same key", k2, err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, KeyFileName))
	if strings.TrimSpace(string(b)) != base64.StdEncoding.EncodeToString(k1) {
		t.Fatalf("key file holds %q, want base64 of the key", b)
	}
	other, _ := LoadOrCreateKey(t.TempDir())
	if bytes.Equal(other, k1) {
		t.Fatal("two data directories got the same key")
	}
}

// Processes starting together must end up with one key, never overwrite.
func TestLoadOrCreateKeyConcurrent(t *testing.T) {
	t.Setenv(EnvSecretKey, "")
	os.Unsetenv(EnvSecretKey)
	dir := t.TempDir()
	var wg sync.WaitGroup
	keys := make([][]byte, 8)
	errs := make([]error, 8)
	for i := range keys {
		wg.Go(func() { keys[i], errs[i] = LoadOrCreateKey(dir) })
	}
	wg.Wait()
	final, _ := LoadOrCreateKey(dir)
	for i := range keys {
		// A reader may see the file before its key is written; that is an
		// error, never a different key.
		if errs[i] == nil && !bytes.Equal(keys[i], final) {
			t.Fatalf("goroutine %d got another key than the file holds", i)
		}
	}
}

func TestLoadOrCreateKeyFromEnv(t *testing.T) {
	dir := t.TempDir()
	want := bytes.Repeat([]byte{7}, KeySize)
	for _, v := range []string{
		base64.StdEncoding.EncodeToString(want),
		" " + base64.RawStdEncoding.EncodeToString(want) + "\n",
	} {
		t.Setenv(EnvSecretKey, v)
		got, err := LoadOrCreateKey(dir)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("env %q: %x, %v", v, got, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a key file was written although the environment holds the key")
	}
	for _, bad := range []string{"", "geen base64!", base64.StdEncoding.EncodeToString(want[:16])} {
		t.Setenv(EnvSecretKey, bad)
		if _, err := LoadOrCreateKey(dir); err == nil || !strings.Contains(err.Error(), EnvSecretKey) {
			t.Errorf("env %q: err %v, want an error naming the variable", bad, err)
		}
	}
}

func TestLoadOrCreateKeyBadFile(t *testing.T) {
	t.Setenv(EnvSecretKey, "")
	os.Unsetenv(EnvSecretKey)
	dir := t.TempDir()
	path := filepath.Join(dir, KeyFileName)
	os.WriteFile(path, []byte("dGUga29ydA==\n"), 0o600) // "te kort"
	if _, err := LoadOrCreateKey(dir); err == nil {
		t.Fatal("a short key was accepted")
	}
	if b, _ := os.ReadFile(path); string(b) != "dGUga29ydA==\n" {
		t.Fatal("a bad key file was overwritten")
	}
}

func TestEncryptDecrypt(t *testing.T) {
	key := bytes.Repeat([]byte{1}, KeySize)
	secret := []byte("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	c1, err := Encrypt(key, secret)
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := Encrypt(key, secret)
	if bytes.Equal(c1, c2) {
		t.Fatal("same ciphertext twice: nonce not random")
	}
	if bytes.Contains(c1, secret) {
		t.Fatal("ciphertext contains the plaintext")
	}
	for _, c := range [][]byte{c1, c2} {
		got, err := Decrypt(key, c)
		if err != nil || !bytes.Equal(got, secret) {
			t.Fatalf("Decrypt = %q, %v", got, err)
		}
	}
	empty, _ := Encrypt(key, nil)
	if got, err := Decrypt(key, empty); err != nil || len(got) != 0 {
		t.Fatalf("empty plaintext: %q, %v", got, err)
	}
}

func TestDecryptRejects(t *testing.T) {
	key := bytes.Repeat([]byte{1}, KeySize)
	other := bytes.Repeat([]byte{2}, KeySize)
	c, _ := Encrypt(key, []byte("geheim"))
	flip := func(i int) []byte {
		d := bytes.Clone(c)
		d[i] ^= 1
		return d
	}
	for name, d := range map[string][]byte{
		"other key":  nil,
		"version":    flip(0),
		"nonce":      flip(1),
		"ciphertext": flip(14),
		"tag":        flip(len(c) - 1),
		"truncated":  c[:len(c)-1],
		"too short":  c[:10],
		"empty":      {},
		"appended":   append(bytes.Clone(c), 0),
		"plain text": []byte("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
	} {
		k := key
		if d == nil {
			d, k = c, other
		}
		if got, err := Decrypt(k, d); !errors.Is(err, ErrDecrypt) || got != nil {
			t.Errorf("%s: %q, %v; want ErrDecrypt", name, got, err)
		}
	}
}

func TestEncryptNeedsAES256Key(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33} {
		if _, err := Encrypt(make([]byte, n), []byte("x")); err == nil {
			t.Errorf("Encrypt with a %d-byte key succeeded", n)
		}
		if _, err := Decrypt(make([]byte, n), make([]byte, 64)); err == nil {
			t.Errorf("Decrypt with a %d-byte key succeeded", n)
		}
	}
}
