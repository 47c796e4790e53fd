package sample

type Server struct{ ready bool }

// Start: 1 + if + && + for + select case + select case = 6
func (s *Server) Start(a, b int, c string) error {
	if s.ready && a > b {
		return nil
	}
	for i := 0; i < a; i++ {
		select {
		case <-make(chan int):
			continue
		case <-make(chan bool):
			break
		default:
		}
	}
	handler := func(x int) int {
		if x > 0 {
			return x
		}
		return -x
	}
	_ = handler
	return nil
}

func classify(n int) string {
	switch {
	case n < 0:
		return "neg"
	case n == 0:
		return "zero"
	default:
		return "pos"
	}
}
