package org.seq4j.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * The cases of a parity test class's {@link ReferenceFixture} (its static field of that type), one
 * argument each: the fixture's metadata {@code cases}, split at commas. Used through {@link
 * ForEachFixtureCase}.
 */
public final class FixtureCases implements ArgumentsProvider {
  @Override
  public Stream<? extends Arguments> provideArguments(
      ParameterDeclarations parameters, ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    for (Field field : testClass.getDeclaredFields()) {
      if (field.getType() == ReferenceFixture.class && Modifier.isStatic(field.getModifiers())) {
        field.setAccessible(true);
        return ReferenceFixture.cases(((ReferenceFixture) field.get(null)).file())
            .map(Arguments::of);
      }
    }
    throw new IllegalStateException(testClass + " has no static ReferenceFixture field");
  }
}
