struct Stack<T> { items: Vec<T> }

impl<T: Clone> Stack<T> {
    fn pop_while(&mut self, limit: usize) -> Option<T> {
        'outer: loop {
            match self.items.len() {
                0 => return None,
                n if n > limit => break 'outer,
                _ => {}
            }
            while let Some(x) = self.items.pop() {
                if self.items.is_empty() || limit == 0 {
                    return Some(x);
                } else if limit > 5 {
                    continue 'outer;
                }
            }
        }
        None
    }
}

fn helper(v: &[i32]) -> i32 {
    let square = |x: i32| if x > 0 { x * x } else { 0 };
    v.iter().map(|x| square(*x)).sum()
}
