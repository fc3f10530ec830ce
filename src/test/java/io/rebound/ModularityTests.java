package io.rebound;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Keeps the layout honest: each feature package is a module that reaches only the modules
 * (and their named interfaces) its {@code package-info.java} allows, never in cycles; and
 * writes the module canvas and diagrams into {@code docs/modules}.
 */
@Execution(ExecutionMode.CONCURRENT)
class ModularityTests {

	static final ApplicationModules MODULES = ApplicationModules.of(Rebound.class);

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own
											// tests
	void featuresReachOnlyWhatTheirModulesAllow() {
		MODULES.verify();
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own
											// tests
	void theModuleCanvasIsWritten() {
		new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("docs/modules")).writeModulesAsPlantUml()
			.writeIndividualModulesAsPlantUml()
			.writeModuleCanvases();
	}

}
