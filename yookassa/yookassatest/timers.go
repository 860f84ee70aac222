package yookassatest

import (
	"container/heap"
	"time"
)

// timer is a moment something falls due for a payment.
type timer struct {
	at time.Time
	id string
}

type timerHeap []timer

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h timerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)        { *h = append(*h, x.(timer)) }
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}

// schedule asks tick to look at a payment at time at. Called with s.mu held.
func (s *Server) schedule(at time.Time, id string) { heap.Push(&s.timers, timer{at, id}) }

// tick applies everything that fell due on the simulator's clock. Called
// with s.mu held.
func (s *Server) tick() {
	now := s.clock.now()
	for s.timers.Len() > 0 && !s.timers[0].at.After(now) {
		t := heap.Pop(&s.timers).(timer)
		if p := s.payments[t.id]; p != nil {
			s.paymentDue(p, now)
		}
	}
	s.tickResources(now)
	s.forgetOldKeys(now)
}
