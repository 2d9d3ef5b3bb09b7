package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of the secret key: AES-256.
const KeySize = 32

// EnvSecretKey names the environment variable that may hold the secret key
// (base64, 32 bytes). It wins over the key file, so a deployment can keep
// the key out of the data directory and its backups.
const EnvSecretKey = "MEERTIJD_SECRET_KEY"

// KeyFileName is the key file inside the data directory.
const KeyFileName = "secret.key"

// LoadOrCreateKey returns the key that encrypts TOTP secrets at rest: from
// $MEERTIJD_SECRET_KEY when set, else from dataDir/secret.key, which is
// created (mode 0600, 32 bytes from crypto/rand, base64) when missing.
//
// Losing the key makes every stored TOTP secret unreadable (users must
// enrol again); back it up apart from the database, since a database dump
// without the key does not reveal the secrets — that is the point of it.
func LoadOrCreateKey(dataDir string) ([]byte, error) {
	if v, ok := os.LookupEnv(EnvSecretKey); ok {
		key, err := decodeKey(v)
		if err != nil {
			return nil, fmt.Errorf("auth: %s: %w", EnvSecretKey, err)
		}
		return key, nil
	}
	if dataDir == "" {
		dataDir = "."
	}
	path := filepath.Join(dataDir, KeyFileName)
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := decodeKey(string(b))
		if err != nil {
			return nil, fmt.Errorf("auth: %s: %w", path, err)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return createKeyFile(dataDir, path)
}

// createKeyFile writes a new key with O_EXCL: should another process create
// the file at the same moment, its key is read instead of overwritten (an
// overwritten key would orphan secrets encrypted with it).
func createKeyFile(dataDir, path string) ([]byte, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("auth: key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("auth: %w", err)
		}
		if key, err = decodeKey(string(b)); err != nil {
			return nil, fmt.Errorf("auth: %s: %w", path, err)
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path) // a half-written key must not be read next time
		return nil, fmt.Errorf("auth: writing %s: %w", path, err)
	}
	return key, nil
}

// decodeKey accepts standard base64 with or without padding; the error
// never contains the key.
func decodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return nil, errors.New("secret key is not valid base64")
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key has %d bytes, want %d (create one with: head -c 32 /dev/urandom | base64)", len(key), KeySize)
	}
	return key, nil
}

// cipherVersion leads every ciphertext, so the format (or a rotated key)
// can be told apart later.
const cipherVersion = 1

// ErrDecrypt is returned for a ciphertext that is malformed, was made with
// another key, or was altered.
var ErrDecrypt = errors.New("auth: cannot decrypt secret (wrong key or damaged data)")

func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("auth: key has %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Encrypt seals plaintext with AES-256-GCM under a fresh random nonce:
// version byte || nonce (12 bytes) || ciphertext and tag. GCM also
// authenticates, so a tampered value fails to decrypt instead of yielding
// a different secret.
func Encrypt(key, plaintext []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+gcm.NonceSize(), 1+gcm.NonceSize()+len(plaintext)+gcm.Overhead())
	out[0] = cipherVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("auth: nonce: %w", err)
	}
	return gcm.Seal(out, out[1:], plaintext, nil), nil
}

// Decrypt opens a value made by Encrypt with the same key.
func Decrypt(key, ciphertext []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	n := gcm.NonceSize()
	if len(ciphertext) < 1+n+gcm.Overhead() || ciphertext[0] != cipherVersion {
		return nil, ErrDecrypt
	}
	plain, err := gcm.Open(nil, ciphertext[1:1+n], ciphertext[1+n:], nil)
	if err != nil {
		return nil, ErrDecrypt
	}
	return plain, nil
}
