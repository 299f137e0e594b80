package train

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// progress draws a one-line progress bar per epoch: the bar, the running
// loss, and at the end of the epoch the validation F1.
type progress struct {
	w             io.Writer
	name          string
	epochs, steps int
}

func newProgress(w io.Writer, name string, epochs, steps int) *progress {
	return &progress{w: w, name: name, epochs: epochs, steps: steps}
}

const barWidth = 20

func (p *progress) line(epoch, done int, tail string) {
	if p.w == nil {
		return
	}
	fill := barWidth * done / p.steps
	fmt.Fprintf(p.w, "\r%-6s epoch %2d/%d [%s%s] %s", p.name, epoch+1, p.epochs,
		strings.Repeat("=", fill), strings.Repeat(" ", barWidth-fill), tail)
}

func (p *progress) step(epoch, done int, loss float64) {
	p.line(epoch, done, fmt.Sprintf("loss %.4f", loss))
}

func (p *progress) epoch(e Epoch) {
	if p.w == nil {
		return
	}
	best := ""
	if e.Best {
		best = " *"
	}
	p.line(e.Epoch-1, p.steps, fmt.Sprintf("loss %.4f  val F1 %.3f acc %.3f  %.1fs%s\n", e.TrainLoss, e.ValF1, e.ValAcc, e.Seconds, best))
}

// csvHeader are the columns of the per-epoch CSV log.
var csvHeader = []string{"epoch", "lr", "train_loss", "val_f1", "val_accuracy", "best", "seconds"}

func writeCSVHeader(w io.Writer) error {
	if w == nil {
		return nil
	}
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	cw.Flush()
	return cw.Error()
}

func writeCSVRow(w io.Writer, e Epoch) error {
	if w == nil {
		return nil
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	cw := csv.NewWriter(w)
	cw.Write([]string{strconv.Itoa(e.Epoch), f(e.LR), f(e.TrainLoss), f(e.ValF1), f(e.ValAcc), strconv.FormatBool(e.Best), f(e.Seconds)})
	cw.Flush()
	return cw.Error()
}
