package agenda

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"

	"meertijd/internal/mtvp"
)

// Store is what Upload needs of storage (store.DB has it).
type Store interface {
	AgendaMapping(ctx context.Context, practiceID int64) ([]byte, error)
	SaveAgendaMapping(ctx context.Context, practiceID int64, mapping []byte) error
	SaveAgenda(ctx context.Context, a mtvp.Actor, up *mtvp.ConsultUpload, weeks []mtvp.ConsultWeek) error
}

// UploadInput is one upload of a practice's export.
type UploadInput struct {
	PracticeID int64
	FileName   string
	File       io.Reader
	// Mapping, when set, is the mapping the user just chose: it is used
	// and, once the upload is accepted, remembered. Otherwise the
	// practice's remembered mapping is used, or a complete guess.
	Mapping *Mapping
	// Remap asks for the mapping step even when a mapping fits.
	Remap bool
	// Roles assigns roles to practitioner names (Result.UnknownRoles of
	// an earlier upload); added to the mapping and remembered.
	Roles map[string]mtvp.ConsultRole
}

// Outcome of Upload: either the accepted upload, or (CSV whose columns are
// new) the header and a guessed mapping for the mapping step.
type Outcome struct {
	Upload      *mtvp.ConsultUpload
	Result      Result
	NeedMapping *Header
	Guess       Mapping
}

// Upload reads an export (CSV or FHIR NDJSON, detected), aggregates it and
// stores the aggregates in one transaction. A refused file returns a
// *FileError (nothing stored); a CSV with columns the practice has not
// mapped yet returns an Outcome with NeedMapping.
func Upload(ctx context.Context, st Store, a mtvp.Actor, in UploadInput) (Outcome, error) {
	var out Outcome
	br := bufio.NewReaderSize(in.File, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return out, &FileError{Msg: "Het bestand kon niet gelezen worden.", err: err}
	}
	var stored Mapping
	haveStored := false
	if js, err := st.AgendaMapping(ctx, in.PracticeID); err != nil {
		return out, err
	} else if js != nil {
		haveStored = json.Unmarshal(js, &stored) == nil
	}
	withRoles := func(m Mapping) Mapping {
		if len(in.Roles) == 0 {
			return m
		}
		merged := map[string]mtvp.ConsultRole{}
		for k, v := range stored.Roles {
			merged[k] = v
		}
		for k, v := range m.Roles {
			merged[k] = v
		}
		for k, v := range in.Roles {
			merged[NormalizeName(k)] = v
		}
		m.Roles = merged
		return m
	}
	var res Result
	var used Mapping
	if Detect(head) == FormatFHIR {
		used = stored
		if in.Mapping != nil {
			used = *in.Mapping
		}
		used = withRoles(used)
		res, err = ParseFHIR(br, used)
	} else {
		h, herr := ReadHeader(bytes.NewReader(head))
		if herr != nil {
			return out, herr
		}
		switch {
		case in.Mapping != nil:
			used = *in.Mapping
			if err := used.Check(); err != nil {
				out.NeedMapping, out.Guess = &h, used
				return out, err
			}
		case !in.Remap && haveStored && stored.Fits(h.Columns):
			used = stored
		default:
			g := GuessMapping(h)
			if haveStored {
				g.Roles, g.DefaultRole = stored.Roles, stored.DefaultRole
			}
			h.Sample = nil // never shown: it is a patient's appointment
			out.NeedMapping, out.Guess = &h, g
			return out, nil
		}
		used = withRoles(used)
		res, err = ParseCSV(br, used)
	}
	out.Result = res
	if err != nil {
		return out, err
	}
	up := &mtvp.ConsultUpload{PracticeID: in.PracticeID, Format: string(res.Format), FileName: in.FileName, Rows: res.Rows,
		Used: res.Used, Skipped: res.Skipped, Bad: res.Bad, BadRows: res.BadRows, UnknownRoles: res.UnknownRoles, First: res.First, Last: res.Last}
	if err := st.SaveAgenda(ctx, a, up, res.Weeks); err != nil {
		return out, err
	}
	out.Upload = up
	if in.Mapping != nil || len(in.Roles) > 0 {
		js, _ := json.Marshal(used)
		if err := st.SaveAgendaMapping(ctx, in.PracticeID, js); err != nil {
			return out, err
		}
	}
	return out, nil
}
