package maskcls

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/maskkit/maskkit/augment"
)

func TestTaskPipelines(t *testing.T) {
	photo := augment.NewImage(64, 48, 3, augment.Uint8)
	for i := range photo.U8 {
		photo.U8[i] = uint8(i * 7)
	}
	for _, task := range []Task{TaskMask, TaskGender, TaskAge, TaskAll} {
		train, eval, err := TaskPipelines(task, 64, 48, 16)
		require.NoError(t, err, "%v", task)
		for name, p := range map[string]augment.Transform{"train": train, "eval": eval} {
			out, err := p.Apply(photo, rand.New(rand.NewPCG(1, 2)))
			require.NoError(t, err, "%v %s", task, name)
			assert.True(t, out.CHW, "%v %s: CHW", task, name)
			assert.Equal(t, [3]int{3, 16, 16}, [3]int{out.Channels, out.Height, out.Width}, "%v %s: shape", task, name)
			assert.Len(t, out.F32, 3*16*16, "%v %s: float32 data", task, name)
		}
		// The eval pipeline is deterministic.
		a, err := eval.Apply(photo, rand.New(rand.NewPCG(1, 2)))
		require.NoError(t, err)
		b, err := eval.Apply(photo, rand.New(rand.NewPCG(3, 4)))
		require.NoError(t, err)
		assert.Equal(t, a.F32, b.F32, "%v eval with two seeds", task)
	}
	for _, c := range []struct {
		task       Task
		h, w, size int
	}{{TaskMask, 48, 64, 16}, {TaskMask, 64, 48, 49}, {TaskMask, 64, 48, 0}, {Task(9), 64, 48, 16}} {
		_, _, err := TaskPipelines(c.task, c.h, c.w, c.size)
		assert.ErrorIs(t, err, ErrTaskPipeline, "%v %dx%d to %d", c.task, c.w, c.h, c.size)
	}
}
