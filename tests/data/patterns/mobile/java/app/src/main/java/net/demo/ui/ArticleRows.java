package net.demo.ui;

// A view holder keeping a view binding: not data, whatever its name.
class ArticleHolder {
    final ArticleRowBinding binding;

    ArticleHolder(ArticleRowBinding binding) {
        this.binding = binding;
    }

    ArticleRowBinding getBinding() { return binding; }
}
