package net.demo;

public sealed interface Shape permits Circle, Square {}

final class Circle implements Shape {}

final class Square implements Shape {}
